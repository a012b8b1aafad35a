// Dispatches `node checker/kit.js <command> …` to the command's module.
import { killAll } from '../processes/child-processes.ts';
import { watchParent } from '../processes/parent-watch.ts';
import { reportError } from './report-error.ts';

/** How often the kit looks whether its parent is still there: the longest it outlives it. */
const parentCheckMs = 500;

const commands: Record<string, () => Promise<{ run(args: string[]): Promise<number> }>> = {
  start: () => import('./start.ts'),
  step: () => import('./step.ts'),
  check: () => import('./check.ts'),
  watch: () => import('./watch.ts'),
  reset: () => import('./reset.ts'),
  restore: () => import('./restore.ts'),
  hint: () => import('./hint.ts'),
  diff: () => import('./diff.ts'),
  bench: () => import('./bench.ts'),
  stability: () => import('./stability.ts'),
  load: () => import('./load.ts'),
  test: () => import('./test.ts'),
  'docs:build': () => import('./docs-build.ts'),
  doctor: () => import('./doctor.ts'),
  // Not for people: the warm judge that `npm start` runs beside the site.
  'judge-server': () => import('./judge-server.ts'),
};

// Ctrl+C or a kill must not leave a learner's server or a browser behind.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

// A signal to npm alone reaches no kit process: the kit sees npm gone, and ends with all it started.
watchParent(() => {
  killAll();
  process.exit(130);
}, parentCheckMs);

export async function runCommand(name: string | undefined, args: string[]): Promise<void> {
  const load = name ? commands[name] : undefined;
  if (!load) {
    console.error(`Unknown kit command "${name ?? ''}": use one of ${Object.keys(commands).filter((each) => each !== 'judge-server').join(', ')} (e.g. \`npm run check 1\`).`);
    process.exit(2);
  }
  try {
    const command = await load();
    process.exitCode = await command.run(args);
  } catch (error) {
    process.exitCode = reportError(error);
  }
  // Sockets that a learner's code left half-open must not keep the checker waiting.
  process.exit();
}
