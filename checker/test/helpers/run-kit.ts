// Runs a kit command as a learner would (a real process), and what it printed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const kit = fileURLToPath(new URL('../../kit.js', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface KitRun {
  code: number | null;
  output: string;
  ms: number;
}

export function runKit(args: string[], env: NodeJS.ProcessEnv = {}): Promise<KitRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [kit, ...args], {
      cwd: repoRoot,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (data) => (output += data));
    child.stderr.on('data', (data) => (output += data));
    child.once('close', (code) => resolve({ code, output, ms: performance.now() - started }));
  });
}
