// `npm test`: the kit's own tests (vitest.config.ts), through vitest's Node API so that the
// Node.js version check in kit.js guards this command too.
export async function run(args: string[]): Promise<number> {
  const { startVitest } = await import('vitest/node');
  const vitest = await startVitest('test', args, { watch: false });
  await vitest.close();
  // startVitest sets process.exitCode when anything failed.
  return Number(process.exitCode ?? 0);
}
