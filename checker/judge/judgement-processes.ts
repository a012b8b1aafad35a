// Every process a judgement runs for its checks, owned by the checker's main process so that all
// of them end with the judgement, whatever the checks did: the learner's server (and the one a
// restart starts in its place), more processes of the learner's code, and Redis. They all get
// the same fresh, empty database file in CHAT_DB, deleted at the end with its folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LearnerStartError, portNamedInEnvironment, startLearnerServer, type LearnerServer } from '../learner/learner-process.ts';
import type { RelayEvent, RelayRequest, RelayRequests, ServerStart } from '../learner/relay.ts';
import { killGroup } from '../processes/child-processes.ts';
import { startRedis, type StartedRedis } from '../redis/start-redis.ts';

/**
 * A process started during a check must listen within this, well within the check's own limit.
 * Step 12 starts two servers at once, each loading TypeScript, Socket.IO and Redis clients: about
 * 1.5 s on a quiet 2-core machine, over 4 s on a busy one.
 */
const startTimeoutMs = 20_000;

/** A skip of the learner's clock that takes longer than this is given up: the check then waits in real time. */
const skipAnsweredWithinMs = 2000;

export class JudgementProcesses {
  /** The learner's server as the judgement started it: whether it started is the verdict's first question. */
  readonly first: LearnerServer;
  /** The server the checks talk to: the first one, or the one the last restart started. */
  private current: LearnerServer;
  private readonly servers = new Map<number, LearnerServer>();
  private redis: Promise<StartedRedis> | undefined;
  private readonly databaseDir = mkdtempSync(join(tmpdir(), 'chat-workshop-db-'));
  /** Deletes the database folder; also when the kit ends by Ctrl+C in the middle of a judgement. */
  private readonly removeDatabase = () => rmSync(this.databaseDir, { recursive: true, force: true, maxRetries: 3 });
  /** Where the output of the processes a check starts goes: the relay, once there is one. */
  private publish: (event: RelayEvent) => void = () => {};
  private stopped = false;
  /**
   * A process for the next restart, its libraries loaded, waiting (a spare, as in the
   * constructor): started when a check says it will restart the server (prepare-restart), so
   * that only a restart to come has one. Told its database when the restart takes it.
   */
  private restartSpare: LearnerServer | undefined;

  /**
   * `spare`, when given, is a learner process of `dir` started ahead (JudgementProcesses.spare):
   * it becomes the first server, told its database now, and skips loading the libraries.
   */
  constructor(
    private readonly dir: string,
    spare?: LearnerServer,
  ) {
    process.once('exit', this.removeDatabase);
    if (spare) spare.go({ CHAT_DB: this.databasePath() });
    this.first = this.current = spare ?? this.start('index.ts', {});
  }

  /** A learner process of `dir` started ahead of a judgement or of a restart, waiting for it (see the constructor). */
  static spare(dir: string, startTimeoutMs?: number): LearnerServer {
    return startLearnerServer({ dir, env: { PORT: String(portNamedInEnvironment) }, startTimeoutMs, spare: true });
  }

  private databasePath(): string {
    return join(this.databaseDir, 'chat.db');
  }

  /** Sends the events of the processes that checks start to the relay (the first one's, it streams itself). */
  publishTo(publish: (event: RelayEvent) => void): void {
    this.publish = publish;
  }

  async answer(request: RelayRequest): Promise<RelayRequests[keyof RelayRequests]['reply']> {
    switch (request.type) {
      case 'restart':
        return this.restart();
      case 'prepare-restart':
        if (!this.stopped) this.restartSpare ??= JudgementProcesses.spare(this.dir, startTimeoutMs);
        return {};
      case 'start-server':
        return this.startServer(request.server, request.entry, request.env);
      case 'kill-server': {
        const server = this.servers.get(request.server);
        if (server) killGroup(server.child, request.signal);
        return {};
      }
      case 'redis':
        return this.startRedisOnce();
      case 'skip-time': {
        const server = request.server === undefined ? this.current : this.servers.get(request.server);
        return { skipped: (await server?.skipTime(request.ms, skipAnsweredWithinMs)) ?? false };
      }
    }
  }

  /** Ends every process, waits for them to be gone, then deletes the database folder. */
  async stopAll(): Promise<void> {
    this.stopped = true;
    const redis = this.redis?.catch(() => undefined);
    await Promise.all([this.first.stop(), this.current.stop(), this.restartSpare?.stop(), ...[...this.servers.values()].map((server) => server.stop()), redis?.then((started) => started?.stop())]);
    this.removeDatabase();
    process.off('exit', this.removeDatabase);
  }

  private start(entry: string, env: Record<string, string>, timeoutMs?: number): LearnerServer {
    return startLearnerServer({ dir: this.dir, entry, env: { PORT: String(portNamedInEnvironment), CHAT_DB: this.databasePath(), ...env }, startTimeoutMs: timeoutMs });
  }

  /** SIGKILL, as a crash: the learner's code gets no chance to save anything on the way out. */
  private async restart(): Promise<ServerStart> {
    await this.current.stop();
    if (this.stopped) return { ok: false, failure: { kind: 'stopped' }, stderr: '' };
    const spare = this.restartSpare;
    this.restartSpare = undefined;
    spare?.go({ CHAT_DB: this.databasePath() });
    const next = spare ?? this.start('index.ts', {}, startTimeoutMs);
    next.output.subscribe((chunk) => this.publish({ type: 'output', ...chunk }));
    next.onUnheard((report) => this.publish({ type: 'unheard', ...report }));
    this.current = next;
    return outcome(next);
  }

  private async startServer(id: number, entry: string, env: Record<string, string>): Promise<ServerStart> {
    if (this.stopped) return { ok: false, failure: { kind: 'stopped' }, stderr: '' };
    const server = this.start(entry, env, startTimeoutMs);
    this.servers.set(id, server);
    server.output.subscribe((chunk) => this.publish({ type: 'server-output', server: id, ...chunk }));
    server.onUnheard((report) => this.publish({ type: 'unheard', ...report }));
    void server.exited.then(({ code, signal }) => this.publish({ type: 'server-exited', server: id, code, signal }));
    const started = await outcome(server);
    // One that never listened is of no use to the check, and must not run on until the end.
    if (!started.ok) await server.stop();
    return started;
  }

  /** REDIS_URL when the learner set it; otherwise one redis-server for the whole judgement. */
  private async startRedisOnce(): Promise<RelayRequests['redis']['reply']> {
    const given = process.env['REDIS_URL'];
    if (given) return { ok: true, url: given };
    if (this.stopped) return { ok: false, message: 'the judgement was over' };
    this.redis ??= startRedis();
    try {
      return { ok: true, url: (await this.redis).url };
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
  }
}

async function outcome(server: LearnerServer): Promise<ServerStart> {
  try {
    return { ok: true, listening: await server.listening, pid: server.child.pid };
  } catch (error) {
    if (!(error instanceof LearnerStartError)) throw error;
    return { ok: false, failure: error.failure, stderr: server.output.text('stderr') };
  }
}
