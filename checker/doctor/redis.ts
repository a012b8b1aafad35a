// Is there a Redis server for step 12, which scales the chat out over one? Only that step needs
// it, so a missing one is a warning for later, not a problem now.
import { execFile } from 'node:child_process';
import { findRedisServer } from '../redis/start-redis.ts';
import type { Diagnosis } from './diagnosis.ts';

const name = 'Redis';

/** e.g. `7.0.15`, from `redis-server --version`. */
function readVersion(path: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(path, ['--version'], { timeout: timeoutMs, windowsHide: true }, (error, stdout) => resolve(error ? undefined : /\bv=(\S+)/.exec(stdout)?.[1]));
  });
}

/** Where REDIS_URL points, without a password it may hold. */
function describeUrl(url: string): string {
  try {
    const { protocol, host } = new URL(url);
    return `${protocol}//${host}`;
  } catch {
    return 'a value that is not a URL';
  }
}

export async function diagnoseRedis(env: NodeJS.ProcessEnv = process.env, timeoutMs = 1500): Promise<Diagnosis> {
  const given = env['REDIS_URL'];
  if (given) return { name, status: 'ok', summary: `REDIS_URL is set: step 12's checks use the Redis server at ${describeUrl(given)}` };
  const path = findRedisServer(env);
  if (!path) {
    return {
      name,
      status: 'warn',
      summary: 'redis-server is not installed: step 12 needs it, the steps before do not',
      fix: 'Before step 12, install it (Debian, Ubuntu, WSL: `sudo apt-get install redis-server`; macOS: `brew install redis`), or set REDIS_URL to a Redis server you run.',
    };
  }
  const version = await readVersion(path, timeoutMs);
  return { name, status: 'ok', summary: `redis-server ${version ?? '(version unknown)'} at ${path}, for step 12` };
}
