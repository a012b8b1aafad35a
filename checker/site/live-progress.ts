// The learner's progress, live in the site: a Socket.IO server on the site's own HTTP server
// sends every open page the state of each step, again the moment a check in the terminal saves
// a result or the learner's files change (which makes a result stale).
import { mkdir } from 'node:fs/promises';
import type { Server as HttpServer } from 'node:http';
import { watch } from 'chokidar';
import { Server } from 'socket.io';
import { listSteps, stepsRoot } from '../course/steps.ts';
import { readCourseStatus, type StepStatus } from '../progress/course-status.ts';
import { progressDir } from '../progress/progress-store.ts';

export const liveProgressPath = '/live/socket.io/';

export interface ServerToPageEvents {
  progress: (steps: StepStatus[]) => void;
}

export interface LiveProgress {
  close(): Promise<void>;
}

/** Saves arrive as bursts of events (a temporary file, a rename): one reading per burst. */
const settleMs = 60;

export async function attachLiveProgress(httpServer: HttpServer): Promise<LiveProgress> {
  const io = new Server<Record<string, never>, ServerToPageEvents>(httpServer, {
    path: liveProgressPath,
    serveClient: true,
    // The labs share this HTTP server and answer their own upgrades.
    destroyUpgrade: false,
    // Pages only listen: nothing they send is needed.
    maxHttpBufferSize: 1024,
  });
  const steps = await listSteps();
  let latest = JSON.stringify(await readCourseStatus(steps));

  io.on('connection', (socket) => {
    socket.emit('progress', JSON.parse(latest) as StepStatus[]);
  });

  let timer: NodeJS.Timeout | undefined;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const now = JSON.stringify(await readCourseStatus(steps).catch(() => JSON.parse(latest) as StepStatus[]));
      if (now === latest) return;
      latest = now;
      io.emit('progress', JSON.parse(now) as StepStatus[]);
    }, settleMs);
  };

  await mkdir(progressDir(), { recursive: true });
  const watcher = watch([progressDir(), stepsRoot], {
    ignoreInitial: true,
    ignored: (path) => /(^|[/\\])(node_modules|solution|starter)([/\\]|$)|\.tmp$/.test(path),
  });
  watcher.on('all', refresh);

  return {
    async close() {
      clearTimeout(timer);
      await watcher.close();
      io.disconnectSockets(true);
      // io.close() would also close the site's HTTP server: only the engine is closed here.
      io.engine.close();
    },
  };
}
