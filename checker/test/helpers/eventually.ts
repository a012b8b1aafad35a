// For what no event announces (a process of someone else's ending, a file another process writes):
// looks again every `everyMs` until it holds, within a deadline.

/** Polls `condition` every `everyMs` until it holds; false after `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return true;
}
