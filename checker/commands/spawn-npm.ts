// Runs `npm …` as the learner types it: through the npm that started this command when there is
// one (npm_execpath), so the figures include npm's own start-up, as a learner's wait does.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { repoRoot } from '../course/steps.ts';
import { track } from '../processes/child-processes.ts';

/** Registered with the kit's children: it ends with the kit, whatever ends the kit. */
export function spawnNpm(args: string[], options: SpawnOptions = {}): ChildProcess {
  const npmCli = process.env['npm_execpath'];
  const [command, prefix] = npmCli ? [process.execPath, [npmCli]] : ['npm', []];
  const child = spawn(command, [...prefix, ...args], { cwd: repoRoot, ...options });
  track(child);
  return child;
}

export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
