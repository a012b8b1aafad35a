// The checker starts the learner's process and the browser in its main process (so they start
// while vitest is still starting up), but the checks run in a vitest worker. This relay streams
// what the process does (its output, its port, its exit) and the browser to use to the worker
// over a loopback socket, as JSON lines, replaying what happened before the worker connected.
// The worker asks over the same socket for what only the main process may do, since it owns
// every process of the judgement: restart the learner's server, start more of its processes,
// start Redis. Each request gets one reply, to the worker that asked.
// A relay may open before its judgement (a primed run, see judge-step.ts): the worker's checks
// wait until `go` names the learner's process whose events the relay streams from then on.
import { once } from 'node:events';
import net from 'node:net';
import type { BrowserChoice } from '../checks/context.ts';
import type { LearnerServer, Listening, StartFailure } from './learner-process.ts';
import type { UnheardEvent } from './preload/unheard-protocol.ts';

export type RelayEvent =
  | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'listening'; listening: Listening; pid: number | undefined }
  | { type: 'start-failed' }
  | { type: 'exited'; code: number | null; signal: string | null }
  /**
   * `pagesAsBefore`: the session judges one folder again and again (`npm run watch`, `npm start`),
   * so a run primed ahead makes as many blank pages as the judgement before opened.
   */
  | { type: 'browser'; browser: BrowserChoice; pagesAsBefore?: boolean }
  /**
   * The judgement of the files in `learnerDir` has begun: the events of its learner's process
   * follow. The checks wait for it. `only`: the ids of the checks to run, the others left out
   * (the kit's tests of variants, each judged by the checks that must catch it).
   */
  | { type: 'go'; learnerDir: string; only?: string[] }
  /** The judgement the relay was opened for will not happen: the checks end at once. */
  | { type: 'abandoned' }
  /** What a process started by `start-server` printed, and its end: `server` is the worker's number for it. */
  | { type: 'server-output'; server: number; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'server-exited'; server: number; code: number | null; signal: string | null }
  /** A Socket.IO event that one of the judgement's learner processes got and nothing listened for. */
  | ({ type: 'unheard' } & UnheardEvent);

/** The answer to a request to start a process: where it listens, or why it did not start. */
export type ServerStart =
  | { ok: true; listening: Listening; pid: number | undefined }
  /** `stopped`: the judgement was over, so nothing was started. */
  | { ok: false; failure: StartFailure | { kind: 'stopped' }; stderr: string };

/** Each request the worker may make, and the reply it gets. */
export interface RelayRequests {
  /** Kills the learner's server (SIGKILL) and starts it again; its output goes on as `output`. */
  restart: { request: Record<string, never>; reply: ServerStart };
  /** Starts the learner's next process now, its libraries loaded, for the restart a check is about to ask for. */
  'prepare-restart': { request: Record<string, never>; reply: Record<string, never> };
  'start-server': { request: { server: number; entry: string; env: Record<string, string> }; reply: ServerStart };
  'kill-server': { request: { server: number; signal: NodeJS.Signals }; reply: Record<string, never> };
  redis: { request: Record<string, never>; reply: { ok: true; url: string } | { ok: false; message: string } };
  /**
   * Moves the clock of a learner's process `ms` on, and its cluster workers' with it: `server` as
   * for start-server, or the learner's server (the current one) without it. `skipped` false if it did not.
   */
  'skip-time': { request: { ms: number; server?: number }; reply: { skipped: boolean } };
}

export type RelayRequest = { [Type in keyof RelayRequests]: { type: Type } & RelayRequests[Type]['request'] }[keyof RelayRequests];
type RelayReply = RelayRequests[keyof RelayRequests]['reply'];
type ReplyLine = { type: 'reply'; id: number; reply: RelayReply };

export type AnswerRequest = (request: RelayRequest) => Promise<RelayReply>;

export interface Relay {
  port: number;
  publish(event: RelayEvent): void;
  /**
   * Begins the judgement of `learnerDir`: streams `learner`'s events, and has `answer` answer the
   * worker's requests. `only`: the checks to run, when not all (see the `go` event).
   */
  go(learnerDir: string, learner: LearnerServer, answer: AnswerRequest, only?: string[]): void;
  close(): void;
}

export async function startRelay(): Promise<Relay> {
  const history: string[] = [];
  const sockets = new Set<net.Socket>();
  const publish = (event: RelayEvent) => {
    const line = `${JSON.stringify(event)}\n`;
    history.push(line);
    for (const socket of sockets) socket.write(line);
  };
  let unsubscribe = () => {};
  let answer: AnswerRequest = async () => {
    throw new Error('a request came before the judgement began');
  };
  const go = (learnerDir: string, learner: LearnerServer, answerWith: AnswerRequest, only?: string[]) => {
    answer = answerWith;
    publish({ type: 'go', learnerDir, ...(only && { only }) });
    for (const chunk of learner.output.chunks) publish({ type: 'output', ...chunk });
    const unsubscribeOutput = learner.output.subscribe((chunk) => publish({ type: 'output', ...chunk }));
    const unsubscribeUnheard = learner.onUnheard((report) => publish({ type: 'unheard', ...report }));
    unsubscribe = () => {
      unsubscribeOutput();
      unsubscribeUnheard();
    };
    learner.listening.then(
      (listening) => publish({ type: 'listening', listening, pid: learner.child.pid }),
      () => publish({ type: 'start-failed' }),
    );
    void learner.exited.then(({ code, signal }) => publish({ type: 'exited', code, signal }));
  };

  const server = net.createServer((socket) => {
    socket.on('error', () => sockets.delete(socket));
    socket.on('close', () => sockets.delete(socket));
    for (const line of history) socket.write(line);
    sockets.add(socket);
    readLines(socket, async (line) => {
      const { id, ...request } = JSON.parse(line) as RelayRequest & { id: number };
      const reply: ReplyLine = { type: 'reply', id, reply: await answer(request as RelayRequest) };
      if (!socket.destroyed) socket.write(`${JSON.stringify(reply)}\n`);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    publish,
    go,
    close() {
      unsubscribe();
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

export interface RelayConnection {
  /** Asks the main process for something; resolves with its reply. */
  request<Type extends keyof RelayRequests>(type: Type, request: RelayRequests[Type]['request']): Promise<RelayRequests[Type]['reply']>;
  /** Hangs up: no event reaches `onEvent` after this, not even one already on its way. */
  close(): void;
}

/** The worker's end: calls `onEvent` for every event, past and future. */
export function subscribeToRelay(port: number, onEvent: (event: RelayEvent) => void): RelayConnection {
  const socket = net.connect(port, '127.0.0.1');
  const pending = new Map<number, (reply: RelayReply) => void>();
  let nextId = 1;
  readLines(socket, (line) => {
    const message = JSON.parse(line) as RelayEvent | ReplyLine;
    if (message.type !== 'reply') return onEvent(message);
    pending.get(message.id)?.(message.reply);
    pending.delete(message.id);
  });
  socket.on('error', () => {});
  socket.unref();
  return {
    request(type, request) {
      const id = nextId++;
      socket.write(`${JSON.stringify({ id, type, ...request })}\n`);
      return new Promise((resolve) => pending.set(id, resolve as (reply: RelayReply) => void));
    },
    close() {
      socket.destroy();
    },
  };
}

function readLines(socket: net.Socket, onLine: (line: string) => void): void {
  let pending = '';
  socket.setEncoding('utf8');
  socket.on('data', (data: string) => {
    pending += data;
    let newline: number;
    while ((newline = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      onLine(line);
    }
  });
}
