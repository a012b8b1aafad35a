// How to notice saves: file-system events where they arrive, polling where they do not. Events
// from Windows folders seen from WSL (/mnt/c/…) and from network drives often never come, and a
// watcher that misses saves is worse than a slow one.
import { statfs } from 'node:fs/promises';
import { readFileSync } from 'node:fs';

export interface WatchMethod {
  usePolling: boolean;
  /** Why polling was chosen, in one sentence for the learner. */
  reason?: string;
}

export const pollingIntervalMs = 250;

/** statfs types of file systems whose change events are unreliable. */
const remoteFileSystems = new Map<number, string>([
  [0x6969, 'an NFS network drive'],
  [0x517b, 'an SMB network drive'],
  [0xff534d42, 'a CIFS network drive'],
  [0xfe534d42, 'an SMB network drive'],
  [0x01021997, 'a Windows folder shared into Linux (9p)'],
  [0x65735546, 'a FUSE file system (e.g. sshfs)'],
]);

function isWsl(): boolean {
  if (process.platform !== 'linux') return false;
  if (process.env['WSL_DISTRO_NAME']) return true;
  try {
    return /microsoft/i.test(readFileSync('/proc/version', 'utf8'));
  } catch {
    return false;
  }
}

export async function chooseWatchMethod(dir: string): Promise<WatchMethod> {
  if (process.env['WORKSHOP_WATCH_POLLING'] === '1') {
    return { usePolling: true, reason: 'WORKSHOP_WATCH_POLLING=1 asks for polling.' };
  }
  if (isWsl() && /^\/mnt\/[a-z]\//i.test(dir)) {
    return { usePolling: true, reason: 'this folder is a Windows folder seen from WSL, where file events do not arrive; moving the kit to your Linux home folder (e.g. ~/workshop) makes it faster.' };
  }
  const type = await statfs(dir).then((stats) => stats.type, () => undefined);
  const remote = type === undefined ? undefined : remoteFileSystems.get(type);
  if (remote) return { usePolling: true, reason: `this folder is on ${remote}, where file events do not always arrive.` };
  return { usePolling: false };
}
