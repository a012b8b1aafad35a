// `npm run step N [--solution]`: runs the learner's step N (or the reference) with tsx,
// restarting it on every save, and says which URL to open.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import { ownProcessGroup, track } from '../processes/child-processes.ts';
import { describeStepChoices, repoRoot, variantDir } from '../course/steps.ts';
import { chooseWatchMethod, pollingIntervalMs } from '../watch/watch-method.ts';
import { readStepArguments } from './arguments.ts';
import { UsageError } from '../errors/kit-error.ts';

const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const stepPreload = fileURLToPath(new URL('../learner/preload/for-step-runner.ts', import.meta.url));

export async function run(args: string[]): Promise<number> {
  const { step, steps, variant } = await readStepArguments(args, 'step');
  if (!step) throw new UsageError(`Which step? e.g. \`npm run step 1\`. ${describeStepChoices(steps)}`);
  const dir = variantDir(step, variant);
  const entry = join(dir, 'index.ts');
  const shown = relative(repoRoot, entry).split(sep).join('/');
  console.log(pc.bold(`${step.title}${variant === 'solution' ? ' (the reference solution)' : ''}`));
  console.log(pc.dim(`Running ${shown}; it restarts whenever you save. Stop it with Ctrl+C.`));
  // As `npm run watch` does: where file events may not arrive, tsx's watcher polls (its chokidar
  // reads these two variables).
  const method = await chooseWatchMethod(dir);
  if (method.usePolling) console.log(pc.yellow(`! Checking for saves every ${pollingIntervalMs} ms, since ${method.reason}`));
  const polling = method.usePolling ? { CHOKIDAR_USEPOLLING: '1', CHOKIDAR_INTERVAL: String(pollingIntervalMs) } : {};

  const child = spawn(process.execPath, [tsxCli, 'watch', '--clear-screen=false', '--import', stepPreload, entry], {
    cwd: repoRoot,
    // No stdin: a process outside the terminal's foreground group must not read from it.
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, PORT: process.env['PORT'] || '3000', ...polling },
    // Ctrl+C reaches the kit, which then ends tsx and the learner's server together.
    ...ownProcessGroup,
  });
  track(child);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? 130 : (code ?? 1)));
  });
}
