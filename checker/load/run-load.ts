// A load test from start to end: the step's server (and Redis, for several processes), the
// clients, the messages, the figures; then the same for the bare io.emit chat, the baseline the
// figures are compared with. Every phase is bounded in time, a server that stops ends
// the run at once, and whatever happens everything started here is stopped before it returns.
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import { RedisNotInstalledError, startRedis, type StartedRedis } from '../redis/start-redis.ts';
import { BroadcastRecorder } from './broadcast-recorder.ts';
import { ServerStartError, startChatServers, UsageTimeoutError, type ChatServers, type ServerUsage } from './chat-servers.ts';
import { closeClients, openClients, type OpenedClients } from './load-clients.ts';
import type { LoadOptions } from './load-options.ts';
import { watchOwnUsage, type OwnUsage } from './own-usage.ts';
import { showProgress, type ProgressLine } from './progress-line.ts';
import { readInRounds, type ReadingInRounds } from './read-in-rounds.ts';
import { sendMessages } from './send-messages.ts';

const bareChatDir = fileURLToPath(new URL('./bare-chat/', import.meta.url));

/** How long the last copies may take to arrive once the last message is sent. */
export const drainTimeoutMs = 5000;
/** How long after the last message a server may take to say its CPU time: one still flooded is too busy to. */
export const cpuAnswerTimeoutMs = 10_000;

export interface LoadFigures {
  options: LoadOptions;
  clients: OpenedClients;
  /** Connected clients that lost their connection during the run, by reason. */
  drops: Map<string, number>;
  /** Server heap after garbage collection, all processes together: before any client, then with all connected. */
  heapBefore: number;
  heapConnected: number;
  recorder: BroadcastRecorder;
  /** From the first message sent to the last copy received (or to the end of sending, if later). */
  trafficMs: number;
  /** Whether every copy arrived before the drain timeout. */
  settled: boolean;
  /** Who was busy while the clients connected, and while the messages flowed. */
  connecting: PhaseUsage;
  sending: PhaseUsage;
}

export interface PhaseUsage {
  own: OwnUsage;
  /** Each server process's CPU time over wall time (1 is a full core); undefined when too busy to say. */
  serverCpuShares: number[] | undefined;
  /** CPU time of all server processes together, in milliseconds; undefined when too busy to say. */
  serverCpuMs: number | undefined;
}

export type LoadOutcome =
  | {
      kind: 'measured';
      figures: LoadFigures;
      /** The same load on the bare io.emit chat: its figures, why it could not be measured, or undefined when skipped. */
      baseline?: { kind: 'measured'; figures: LoadFigures } | { kind: 'failed'; lines: string[] };
    }
  | { kind: 'failed'; lines: string[] };

/** What the load is put on: the learner's chat, or the bare chat it is compared with. */
interface LoadTarget {
  /** Starts its server processes (and whatever they need, e.g. Redis); stopping them stops that too. */
  start(): Promise<ChatServers>;
  /** The chat acknowledges every message; the bare chat acknowledges none. */
  acknowledged: boolean;
  /** io.emit sends a message back to its sender too; the chat, to the others only. */
  echoesToSender: boolean;
}

/** A failure that ends the run, told in one sentence. */
class RunEnded extends Error {}

export interface RunHooks {
  /** Called once the chat is measured, as the bare chat is about to be. */
  onBaselineStart?(): void;
}

/** The learner's chat under load, then (unless `--no-baseline`) the bare chat under the same load. */
export async function runLoad(options: LoadOptions, hooks: RunHooks = {}): Promise<LoadOutcome> {
  const chat = await measure(options, chatTarget(options));
  if (chat.kind === 'failed' || !options.baseline) return chat;
  hooks.onBaselineStart?.();
  return { ...chat, baseline: await measure(options, bareChatTarget(options)) };
}

function chatTarget(options: LoadOptions): LoadTarget {
  return {
    acknowledged: true,
    echoesToSender: false,
    async start() {
      const env: NodeJS.ProcessEnv = {};
      let redis: StartedRedis | undefined;
      if (options.processes > 1) {
        // A Redis server of the learner's own (REDIS_URL) is used as it is; otherwise one is started.
        redis = process.env['REDIS_URL'] ? undefined : await startRedis().catch(redisFailure);
        env['REDIS_URL'] = redis?.url ?? process.env['REDIS_URL'];
      }
      const servers = await startChatServers({ dir: options.dir, variant: options.variant, processes: options.processes, env }).catch(async (error: unknown) => {
        await redis?.stop();
        throw error;
      });
      return {
        ...servers,
        async stop() {
          await servers.stop();
          await redis?.stop();
        },
      };
    },
  };
}

/** One process, whatever --processes says: the baseline is Socket.IO at its simplest. */
function bareChatTarget(options: LoadOptions): LoadTarget {
  return {
    acknowledged: false,
    echoesToSender: true,
    start: () => startChatServers({ dir: bareChatDir, variant: options.variant, processes: 1 }),
  };
}

async function measure(options: LoadOptions, target: LoadTarget): Promise<{ kind: 'measured'; figures: LoadFigures } | { kind: 'failed'; lines: string[] }> {
  let servers: ChatServers | undefined;
  let progress: ProgressLine | undefined;
  let sockets: OpenedClients['sockets'] = [];
  let rounds: ReadingInRounds | undefined;
  // A server that stops ends the run: each phase is cut short by this signal.
  const abort = new AbortController();
  try {
    servers = await target.start();
    void servers.stopped.then((sentence) => abort.abort(new RunEnded(sentence)));
    const running = servers;
    const endedIfStopped = () => {
      if (abort.signal.aborted) throw abort.signal.reason;
    };

    const beforeClients = await running.usage(true);
    const ownWhileConnecting = watchOwnUsage();
    const recorder = new BroadcastRecorder();
    const drops = new Map<string, number>();
    let connected = 0;
    progress = showProgress(() => `${pc.cyan('connecting')}  ${connected} of ${options.clients} clients`);
    const clients = await openClients(
      running.urls,
      options.clients,
      {
        onMessage: (id) => {
          recorder.recordReceiptOf(id);
          rounds?.copyRead();
        },
        onDrop: (reason) => drops.set(reason, (drops.get(reason) ?? 0) + 1),
        onBatch: (count) => (connected = count),
      },
      abort.signal,
    );
    sockets = clients.sockets;
    progress.stop();
    progress = undefined;
    endedIfStopped();
    if (sockets.length < 2) throw new RunEnded(notEnoughClients(clients, options));
    const allConnected = await running.usage(true);
    const connecting = phaseUsage(ownWhileConnecting.stop(), beforeClients, allConnected);

    const durationMs = options.durationSeconds * 1000;
    const ownWhileSending = watchOwnUsage();
    const beforeMessages = await running.usage(false);
    const started = performance.now();
    progress = showProgress(() => {
      const elapsed = Math.min(durationMs, performance.now() - started) / 1000;
      const p99 = recorder.latencyMs(99);
      return (
        `${pc.cyan('sending')}  ${elapsed.toFixed(1)}/${options.durationSeconds} s  sent ${recorder.sent}  delivered ${recorder.delivered}` +
        `  p99 ${p99 === undefined ? '–' : `${p99.toFixed(1)} ms`}  event-loop delay ${ownWhileSending.read().loopDelayP99Ms.toFixed(1)} ms`
      );
    });
    rounds = readInRounds();
    const connectedClients = () => sockets.length - sumValues(drops);
    const traffic = { rate: options.rate, durationMs, connectedClients, acknowledged: target.acknowledged, echoesToSender: target.echoesToSender };
    await sendMessages(sockets, traffic, recorder, abort.signal);
    const sentEnd = performance.now();
    // Asked now, so that a server that keeps up answers for the time of the messages, not the wait
    // after. No answer in time: too busy to say. A server that stopped: `stopped` says so.
    const afterMessages = running.usage(false, cpuAnswerTimeoutMs).catch(() => undefined);
    const settled = await recorder.settled(drainTimeoutMs, abort.signal);
    rounds.stop();
    recorder.stop();
    progress.stop();
    progress = undefined;
    endedIfStopped();
    const sending = phaseUsage(ownWhileSending.stop(), beforeMessages, await afterMessages);
    const trafficMs = Math.max(sentEnd, recorder.lastDeliveredAt ?? 0) - (recorder.firstSentAt ?? started);
    return {
      kind: 'measured',
      figures: { options, clients, drops, heapBefore: sum(beforeClients, 'heapUsed'), heapConnected: sum(allConnected, 'heapUsed'), recorder, trafficMs, settled, connecting, sending },
    };
  } catch (error) {
    // A question to a server that has just stopped fails too: the stop is the news.
    const reason = abort.signal.aborted ? abort.signal.reason : error;
    if (reason instanceof ServerStartError) return { kind: 'failed', lines: reason.lines };
    if (reason instanceof RunEnded || reason instanceof UsageTimeoutError) return { kind: 'failed', lines: [reason.message] };
    throw reason;
  } finally {
    // Left going, the rounds would keep the process alive.
    rounds?.stop();
    progress?.stop();
    closeClients(sockets);
    await servers?.stop();
  }
}

function redisFailure(error: Error): never {
  // Not installed: its message says what to do. Anything else: what Redis said.
  if (error instanceof RedisNotInstalledError) throw new RunEnded(error.message);
  throw new RunEnded(
    `The Redis server for --processes could not be started (${error.message}): run \`redis-server\` yourself and set REDIS_URL, e.g. \`REDIS_URL=redis://127.0.0.1:6379 npm run load -- --processes 2\`.`,
  );
}

function notEnoughClients({ sockets, failures }: OpenedClients, { clients, step, variant }: LoadOptions): string {
  const [reason] = [...failures.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['no reason given'];
  const check = `npm run check ${step.number}${variant === 'solution' ? ' -- --solution' : ''}`;
  return `Only ${sockets.length} of ${clients} clients could connect (the server answered "${reason}"), and a broadcast needs two: does \`${check}\` pass?`;
}

/** Reads CPU time as of each server's answer: a busy server answers late, and its figure is as of then. */
function phaseUsage(own: OwnUsage, before: ServerUsage[], after: ServerUsage[] | undefined): PhaseUsage {
  const serverCpuShares = after?.map((end, index) => (end.cpuMicros - before[index]!.cpuMicros) / 1000 / (end.at - before[index]!.at));
  const serverCpuMs = after?.reduce((total, end, index) => total + (end.cpuMicros - before[index]!.cpuMicros) / 1000, 0);
  return { own, serverCpuShares, serverCpuMs };
}

function sum(usages: ServerUsage[], key: keyof ServerUsage): number {
  return usages.reduce((total, usage) => total + usage[key], 0);
}

function sumValues(counts: Map<string, number>): number {
  return [...counts.values()].reduce((total, count) => total + count, 0);
}
