// A machine made busy on purpose, for the tests of deadlines counted in the time a process could
// run: endless loops, each in a session of its own as the kit starts a learner's server, so that
// where Linux shares the CPU out by session (autogroup) each loop takes as large a share as the
// process under test. Every process started here ends with the test (endProcesses), and each loop
// ends by itself after 60 s in any case.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';

const started: ChildProcess[] = [];

/** A Node.js process running `code`, in a session and process group of its own; its stdout is piped. */
export function startNode(code: string): ChildProcess {
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  started.push(child);
  return child;
}

/** Counts `child` (and its process group) among those endProcesses() ends. */
export function endsWithTest(child: ChildProcess): void {
  started.push(child);
}

/**
 * `perCore` endless loops per core; resolves once every one of them is looping, so that the
 * process tested next starts on a machine already that busy (not beside loops still starting).
 */
export async function keepEveryCoreBusy(perCore: number): Promise<void> {
  const loops = Array.from({ length: perCore * availableParallelism() }, () => startNode("console.log('looping'); const end = Date.now() + 60_000; while (Date.now() < end) {}"));
  await Promise.all(loops.map((loop) => once(loop.stdout!, 'data')));
}

/** Code that computes for `cpuMs` of its own CPU time, then prints "done" and stays. */
export const computeThenIdle = (cpuMs: number) =>
  `const used = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };
   while (used() < ${cpuMs}) {}
   console.log('done');
   setInterval(() => {}, 1000);`;

/** Ends every process started here, with its process group. */
export function endProcesses(): void {
  for (const child of started.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Ended already.
    }
  }
}
