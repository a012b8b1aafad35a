// The machine, as a helper needs it: system, Node.js, npm, where the kit lives, and WSL. Inside
// WSL, a kit under /mnt/ sits on the Windows drive, where file watching is unreliable and slow.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { arch, release, type } from 'node:os';
import { repoRoot } from '../course/steps.ts';
import type { Diagnosis } from './diagnosis.ts';

/** e.g. `npm 11.19.1`: from the user agent npm gives its scripts, else from `npm -v`. */
function readPackageManager(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  const agent = /^(\S+)\/(\S+)/.exec(env['npm_config_user_agent'] ?? '');
  if (agent) return Promise.resolve(`${agent[1]} ${agent[2]}`);
  return new Promise((resolve) => {
    execFile('npm', ['-v'], { timeout: timeoutMs, shell: process.platform === 'win32', windowsHide: true }, (error, stdout) =>
      resolve(error ? 'npm (version unknown)' : `npm ${stdout.trim()}`),
    );
  });
}

/** `WSL 2`, `WSL 1`, or undefined outside WSL. */
async function detectWsl(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const kernel = (await readFile('/proc/version', 'utf8').catch(() => '')).toLowerCase();
  if (!kernel.includes('microsoft') && !env['WSL_DISTRO_NAME']) return undefined;
  const version = kernel.includes('microsoft-standard') || kernel.includes('wsl2') ? 'WSL 2' : 'WSL 1';
  return env['WSL_DISTRO_NAME'] ? `${version} (${env['WSL_DISTRO_NAME']})` : version;
}

export async function diagnosePlatform(env: NodeJS.ProcessEnv = process.env, kitDir = repoRoot, timeoutMs = 1500): Promise<Diagnosis[]> {
  const kit = kitDir.replace(/[\\/]$/, '');
  const [packageManager, wsl] = await Promise.all([readPackageManager(env, timeoutMs), process.platform === 'linux' ? detectWsl(env) : undefined]);
  const system: Diagnosis = {
    name: 'System',
    status: 'ok',
    summary: `${type()} ${release()} ${arch()}, Node.js ${process.versions.node}, ${packageManager}, kit in ${kit}`,
  };
  if (process.platform !== 'linux') return [system];
  if (!wsl) return [system, { name: 'WSL', status: 'ok', summary: 'not WSL' }];
  if (kit.startsWith('/mnt/')) {
    return [
      system,
      {
        name: 'WSL',
        status: 'warn',
        summary: `${wsl}, with the kit on the Windows drive (${kit}): saving a file may not restart your step`,
        fix: 'Move the kit into your Linux home folder, e.g. ~/workshop. Where it is, `npm run watch` polls for saves by itself (slower), and `CHOKIDAR_USEPOLLING=1 npm run step 1` makes `npm run step` poll too.',
      },
    ];
  }
  return [system, { name: 'WSL', status: 'ok', summary: `${wsl}, with the kit in the Linux file system` }];
}
