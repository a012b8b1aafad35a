// A throwaway Redis server for step 12's checks (and `npm run load`): the learner's own
// `redis-server`, on a free loopback port, keeping nothing on disk, ended with the kit.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { killGroup, ownProcessGroup, track } from '../processes/child-processes.ts';
import { runTimeDeadline } from '../processes/run-time-deadline.ts';
import { KitError } from '../errors/kit-error.ts';

export interface StartedRedis {
  /** e.g. `redis://127.0.0.1:41234` */
  url: string;
  /** Ends the server; resolves once it has exited. */
  stop(): Promise<void>;
}

const executableName = process.platform === 'win32' ? 'redis-server.exe' : 'redis-server';
/** Where Homebrew puts it on macOS, for a PATH that lacks it (an editor's terminal, say). */
const usualFolders = process.platform === 'darwin' ? ['/opt/homebrew/bin', '/usr/local/bin'] : [];

/** Thrown by startRedis() when no `redis-server` is installed; its message says what to do. */
export class RedisNotInstalledError extends KitError {
  constructor() {
    super(
      'redis-server is not installed (it is not on your PATH): install it (Debian, Ubuntu, WSL: `sudo apt-get install redis-server`; macOS: `brew install redis`), or set REDIS_URL to a Redis server you already run.',
      'machine',
    );
  }
}

/** The path of `redis-server`, from PATH (or Homebrew's folders); undefined when it is not installed. */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const folders = [...(env['PATH'] ?? '').split(delimiter).filter(Boolean), ...usualFolders];
  return folders.map((folder) => join(folder, executableName)).find(isExecutable);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `redis-server` on a free port of 127.0.0.1, without persistence, and resolves once it
 * accepts connections. Throws RedisNotInstalledError when there is none to start.
 */
export async function startRedis({ timeoutMs = 5000 } = {}): Promise<StartedRedis> {
  const executable = findRedisServer();
  if (!executable) throw new RedisNotInstalledError();
  // The port is free when asked for, but another program may take it before Redis binds it.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await launch(executable, await freeLoopbackPort(), timeoutMs);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === 3) throw error;
    }
  }
}

class PortTakenError extends Error {}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function launch(executable: string, port: number, timeoutMs: number): Promise<StartedRedis> {
  const child = spawn(executable, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    // Nothing is saved, but a working folder that is surely writable keeps Redis from complaining.
    cwd: tmpdir(),
    ...ownProcessGroup,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) killGroup(child);
    await exited;
  };

  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (error: Error) => {
      cancelDeadline();
      void stop().then(() => reject(error));
    };
    // In the time it could run: a busy machine is no reason to say Redis does not work.
    const cancelDeadline = runTimeDeadline(child.pid, timeoutMs, () => fail(new Error(`redis-server did not accept connections within ${timeoutMs / 1000} s${lastLine(output)}`)));
    child.once('error', (error) => fail(new Error(`redis-server could not be started: ${error.message}`)));
    const onExit = (code: number | null) => {
      fail(/Address already in use/i.test(output) ? new PortTakenError() : new Error(`redis-server stopped with exit code ${code}${lastLine(output)}`));
    };
    child.once('exit', onExit);
    const read = (data: Buffer) => {
      output += data.toString('utf8');
      if (!/Ready to accept connections/.test(output)) return;
      cancelDeadline();
      child.off('exit', onExit);
      // Its later log lines are read and dropped, so that a full pipe never blocks it.
      for (const stream of [child.stdout!, child.stderr!]) stream.off('data', read).resume();
      resolve({ url: `redis://127.0.0.1:${port}`, stop });
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
  });
}

function lastLine(output: string): string {
  const line = output.trim().split(/\r?\n/).at(-1);
  return line ? `: ${line}` : '';
}
