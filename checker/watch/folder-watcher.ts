// Calls `onSave` after the learner saves a file in `dir`: once per burst of events (an editor's
// save is often a write, a rename and a chmod), and never twice at once: a save that arrives
// during a run makes one more run after it.
import { watch } from 'chokidar';
import { isDatabaseFile } from '../progress/learner-files.ts';
import { pollingIntervalMs, type WatchMethod } from './watch-method.ts';

/** Long enough to gather one save's events, short enough not to be felt. */
const settleMs = 30;

const kitOwned = /^(README\.md|check\.ts|hints\.md|solution|starter|node_modules)$/;

export interface FolderWatcher {
  /** Resolves once every file is being watched: a save before that could go unnoticed. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Also runs `onSave` once at the start, when the watcher is ready. */
export function watchFolder(dir: string, method: WatchMethod, onSave: (savedAt?: number) => Promise<void>): FolderWatcher {
  const watcher = watch(dir, {
    ignoreInitial: true,
    usePolling: method.usePolling,
    interval: pollingIntervalMs,
    binaryInterval: pollingIntervalMs,
    // The kit's own files of the step, hidden files, anything installed and the chat's database
    // (which `npm run step` writes at every message) are not the learner's work.
    ignored: (path) => {
      const relative = path.slice(dir.length).replace(/^[/\\]/, '');
      if (relative === '') return false;
      const parts = relative.split(/[/\\]/);
      return kitOwned.test(parts[0]!) || parts.some((part) => part.startsWith('.')) || isDatabaseFile(parts.at(-1)!);
    },
  });
  let timer: NodeJS.Timeout | undefined;
  let firstEventAt = 0;
  let running = false;
  let pending: number | undefined;

  const run = async (savedAt: number | undefined) => {
    running = true;
    try {
      await onSave(savedAt);
    } finally {
      running = false;
    }
    if (pending !== undefined) {
      const next = pending;
      pending = undefined;
      await run(next);
    }
  };

  watcher.on('all', () => {
    if (!timer) firstEventAt = performance.now();
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (running) pending ??= firstEventAt;
      else void run(firstEventAt);
    }, settleMs);
  });

  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  // The first verdict, for the files as they are; saves meanwhile make one more run after it.
  void ready.then(() => run(undefined));

  return {
    ready,
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
