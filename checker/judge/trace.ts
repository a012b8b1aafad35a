// `CHECK_TRACE=1 npm run check N` prints when each phase of a check ends, to find what is slow.
const enabled = Boolean(process.env['CHECK_TRACE']);
const origin = performance.timeOrigin;

export function trace(phase: string): void {
  if (enabled) process.stderr.write(`[trace] ${(performance.timeOrigin - origin + performance.now()).toFixed(0).padStart(5)} ms  ${phase}\n`);
}
