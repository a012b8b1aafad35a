// Another process of the learner's code, started by a check (`app.startServer()`): step 12 runs
// several servers, or a node:cluster primary with its workers. The checker's main process runs
// it, as it runs the first; this is the check's handle on it.
import type { RelayConnection } from '../learner/relay.ts';
import { listNodeChildren } from '../processes/child-pids.ts';
import { LearnerLog } from './learner-log.ts';
import { relayedServerClock, type SkippableClock } from './skipped-time.ts';

export interface ServerExit {
  code: number | null;
  signal: string | null;
}

export class StartedServer {
  /** What the process printed, fed live, as `app.log` is. */
  readonly log = new LearnerLog();
  /** Resolves when the process has ended, for whatever reason. */
  readonly exited: Promise<ServerExit>;
  /** e.g. `http://127.0.0.1:41234/`, once it listens. */
  url = '';
  pid = 0;
  private noteExit!: (exit: ServerExit) => void;

  constructor(
    /** The number the relay knows the process by. */
    readonly id: number,
    private readonly relay: RelayConnection,
  ) {
    this.exited = new Promise((resolve) => (this.noteExit = resolve));
    this.clock = relayedServerClock(relay, id);
  }

  /** Its clock, and its cluster workers': see app.serverClock. */
  readonly clock: SkippableClock;

  /** Sends `signal` to the process and every process it started (the workers of a cluster); await `exited` to see it end. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.relay.request('kill-server', { server: this.id, signal });
  }

  /** The pids of the Node.js processes it started: a cluster's workers (Linux and macOS). */
  workerPids(): Promise<number[]> {
    return listNodeChildren(this.pid);
  }

  /** Called when the relay says it ended. */
  noteExited(exit: ServerExit): void {
    this.noteExit(exit);
  }
}
