// The Node.js processes a process started, such as the workers of a learner's node:cluster
// primary, listed by `pgrep`, which Linux and macOS both have. Only Node.js processes: the
// kit's TypeScript loader runs an esbuild service beside them, which is no worker.
import { execFile } from 'node:child_process';

export function listNodeChildren(pid: number): Promise<number[]> {
  if (process.platform === 'win32') return Promise.reject(new Error('listing child processes needs pgrep, which Windows lacks'));
  const nodeCommand = `^${process.execPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`;
  return new Promise((resolve, reject) => {
    execFile('pgrep', ['-P', String(pid), '-f', nodeCommand], (error, stdout) => {
      // Exit code 1: no process matched.
      if (error && error.code !== 1) return reject(error);
      resolve(stdout.split('\n').filter(Boolean).map(Number).sort((a, b) => a - b));
    });
  });
}
