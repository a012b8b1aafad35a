// Starts a headless Chromium for the checks, in the checker's main process so that it starts
// while vitest does; the checks, in a vitest worker, connect to it over the DevTools protocol.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killGroup, ownProcessGroup, track } from '../processes/child-processes.ts';
import { runTimeDeadline } from '../processes/run-time-deadline.ts';
import type { ChromiumAddress } from '../checks/context.ts';

export interface LaunchedBrowser extends ChromiumAddress {
  /** The browser's own profile folder, made for it in the system's temporary folder. */
  profile: string;
  /** Ends the browser; resolves once it has exited and its profile folder is removed. */
  close(): Promise<void>;
}

const flags = [
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
  '--remote-debugging-port=0',
];

export function launchBrowser(executablePath: string, timeoutMs = 8000): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'chat-workshop-browser-'));
  // The sandbox cannot run as root (containers, CI); everywhere else it stays on.
  const sandbox = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  const child = spawn(executablePath, [...flags, ...sandbox, `--user-data-dir=${profile}`, 'about:blank'], {
    ...ownProcessGroup,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const removeProfile = () => rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  track(child, removeProfile);
  // Removed on its exit (track): a caller that ended right after the kill, as a test's worker
  // does, left the folder behind.
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    // A browser that could not be spawned at all never exits: there is nothing to wait for.
    if (child.pid !== undefined) {
      if (child.exitCode === null && child.signalCode === null) killGroup(child);
      await exited;
    }
    removeProfile();
  };

  return new Promise((resolve, reject) => {
    let stderr = '';
    const fail = (why: string) => {
      cancelDeadline();
      void close();
      reject(new Error(`${executablePath} did not start: ${why}`));
    };
    // In the time Chromium could run: on a busy machine, its wait for a CPU must not cost the pages their browser.
    const cancelDeadline = runTimeDeadline(child.pid, timeoutMs, ({ elapsedMs, waitedMs }) =>
      fail(`no DevTools address after ${Math.round(elapsedMs - waitedMs)} ms${waitedMs >= 1000 ? ` (and ${Math.round(waitedMs)} ms more waiting for a CPU)` : ''}`),
    );
    child.once('error', (error) => fail(error.message));
    const exitedEarly = (code: number | null) => fail(`it exited with code ${code}${stderr.trim() ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`);
    child.once('exit', exitedEarly);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (data: string) => {
      stderr += data;
      const wsEndpoint = /DevTools listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
      if (!wsEndpoint) return;
      cancelDeadline();
      // Its own listener alone: track()'s, which removes the profile, stays.
      child.off('exit', exitedEarly);
      child.stderr!.removeAllListeners('data');
      child.stderr!.resume();
      resolve({ wsEndpoint, artifactsDir: join(profile, 'playwright-artifacts'), profile, pid: child.pid, close });
    });
  });
}
