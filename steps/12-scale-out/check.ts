// The checks of step 12, run by `npm run check 12`: the chat in one process, then as a cluster
// (WORKERS=2: a primary and two workers on one port), then as two servers sharing a Redis server.
import { randomUUID } from 'node:crypto';
import type { ManagerOptions, Socket } from 'socket.io-client';
import {
  accepted,
  answerWithinMs,
  askServer,
  askServerWithin,
  check,
  CheckFailure,
  ConditionWaiters,
  expectServerAlive,
  fail,
  isRefusal,
  json,
  keepTypingUntil,
  letTimePass,
  noAnswerTo,
  noAnswerWithin,
  refused,
  seconds,
  waitThroughTime,
  type CuttableProxy,
  type LearnerApp,
  type LearnerLog,
  type ReceivedEvents,
  type ServerAhead,
  type ServerExit,
  type StartedServer,
} from '../../checker/checks/check.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './events.ts';

type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Client {
  nickname: string;
  socket: ChatSocket;
  received: ReceivedEvents;
}
/** Where clients connect: the first server, a cluster, or one of two servers; named in failures. */
interface Target {
  via?: { readonly url: string };
  name: string;
  log: LearnerLog;
}


/** What a process printed last on stderr that looks like an error, such as the one that stopped it. */
function lastError(log: LearnerLog): string | undefined {
  return log.lines.filter((line) => line.stream === 'stderr' && /\w*Error\b/.test(line.text)).at(-1)?.text.trim();
}
const afterError = (log: LearnerLog) => {
  const error = lastError(log);
  return error ? ` (its last error: "${error}")` : '';
};

/** How many of the 'chat message' events received carried `text`. */
const timesGot = (received: ReceivedEvents, text: string) =>
  received.named('chat message').filter(([message]) => (message as { text?: unknown } | undefined)?.text === text).length;
const lastOnline = (received: ReceivedEvents) => received.named('online').at(-1)?.[0];
const listsAll = (received: ReceivedEvents, nicknames: string[]) => {
  const list = lastOnline(received);
  return Array.isArray(list) && nicknames.every((nickname) => list.includes(nickname));
};

/** A client that joins `target` with `nickname`; fails the check, saying why, if it cannot. */
async function join(app: LearnerApp, target: Target, nickname: string, lesson: string): Promise<Client> {
  const attempt = await app.tryConnect<ServerToClientEvents, ClientToServerEvents>({ via: target.via, auth: { nickname } });
  if (!attempt.connected) {
    fail({ expected: `a client with the nickname "${nickname}" to join ${target.name}`, actual: `it could not: "${attempt.error}"${afterError(target.log)}`, lesson });
  }
  return { nickname, socket: attempt.socket, received: attempt.received };
}

/** The cause of a session that a worker does not know, and its fix. */
const notSticky =
  ': long-polling sends many HTTP requests, and one reached a worker that does not know its session (HTTP 400, "Session ID unknown"). Let the primary listen, setupMaster(server, …) (TODO 3), and each worker take its connections from it, setupWorker(io) (TODO 4)';

/**
 * Why a client's connection closed, from Socket.IO's 'disconnect' event: its reason, and for a
 * failed long-polling request the HTTP status and what the server said, e.g.
 * `"transport error": xhr post error, HTTP 400 {"code":1,"message":"Session ID unknown"}`.
 */
function describeLoss(reason: string, details: unknown): string {
  const { message, description, context } = (details ?? {}) as { message?: unknown; description?: unknown; context?: { responseText?: unknown } };
  const status = typeof description === 'number' ? `, HTTP ${description}` : '';
  const said = typeof context?.responseText === 'string' && context.responseText !== '' ? ` ${context.responseText.slice(0, 80)}` : '';
  return `"${reason}"${typeof message === 'string' ? `: ${message}${status}${said}` : ''}`;
}

/**
 * Sends `text` to #general from `client`; fails the check unless the server answers { ok: true },
 * saying how the connection was lost if it was meanwhile.
 */
async function send(client: Client, text: string, where: string, lesson: string): Promise<void> {
  let lost: string | undefined;
  const onDisconnect = (reason: string, details?: unknown) => {
    lost ??= describeLoss(reason, details);
  };
  client.socket.on('disconnect', onDisconnect);
  const answer = await askServer(client.socket, 'chat message', { id: randomUUID(), room: 'general', text }).finally(() => client.socket.off('disconnect', onDisconnect));
  if (accepted(answer)) return;
  // A session that a worker does not know is the one failure with a known cause: no sticky sessions.
  const unknownSession = lost?.includes('Session ID unknown') ? notSticky : '';
  fail({
    expected: `${where} to accept a message from ${client.nickname} to #general, answering { ok: true }`,
    actual:
      answer !== undefined ? `it answered ${json(answer)}`
      : lost ? `${client.nickname}'s connection was closed before any answer came (${lost})${unknownSession}`
      : noAnswerTo('chat message'),
    lesson,
  });
}

/** Waits until `client`'s latest 'online' list names everyone in `nicknames`; fails the check if it never does. */
async function expectOnline(client: Client, nicknames: string[], why: string, lesson: string): Promise<void> {
  if (await client.received.waitUntil((received) => listsAll(received, nicknames))) return;
  const list = lastOnline(client.received);
  fail({
    expected: `the list of who is online that ${client.nickname} got last to name ${nicknames.join(', ')}`,
    actual: `it was ${json(list ?? null)}: ${why}`,
    lesson,
  });
}

/** Tries to join `target` with a nickname someone has; fails the check if the server lets it in, or refuses it without a reason. */
async function expectTaken(app: LearnerApp, target: Target, nickname: string, holder: string, why: string, lesson: string): Promise<void> {
  const attempt = await app.tryConnect({ via: target.via, auth: { nickname } });
  if (!attempt.connected) {
    // No answer is no refusal: the newcomer is left waiting, neither in nor told why.
    if (attempt.error === 'timeout') {
      fail({
        expected: `"${nickname}" to be refused while ${holder} is online, saying why`,
        actual: `its handshake was left waiting (${noAnswerWithin})${afterError(target.log)}. The middleware must end every handshake: next() lets it in, next(new Error(…)) refuses it, saying why`,
        lesson,
      });
    }
    if (attempt.error.trim() !== '') return;
    fail({
      expected: `"${nickname}" to be refused while ${holder} is online, saying why`,
      actual: `it was refused with no reason, an empty message: next(new Error(\`\${nickname} is already taken: choose another nickname.\`))`,
      lesson: 'Take a nickname in one step',
    });
  }
  attempt.socket.close();
  fail({ expected: `"${nickname}" to be refused while ${holder} is online`, actual: `it was let in ${target.name}: ${why}`, lesson });
}

/**
 * Sends handshakes for one nickname (in mixed case) to `targets` all at once: exactly one must get
 * in. Asking who is online and then letting in takes a round trip, and both can find it free.
 */
async function expectClaimedOnce(app: LearnerApp, targets: Target[], nickname: string, where: string): Promise<void> {
  const lesson = 'Take a nickname in one step';
  const attempts = await Promise.all(
    targets.map((target, index) => app.tryConnect({ via: target.via, auth: { nickname: index % 2 === 0 ? nickname : nickname.toUpperCase() } })),
  );
  const inside = attempts.filter((attempt) => attempt.connected);
  for (const attempt of inside) attempt.socket.close();
  const expected = `exactly one of ${targets.length} handshakes for "${nickname}", sent at the same moment ${where}, to get in`;
  if (inside.length > 1) {
    fail({
      expected,
      actual: `${inside.length} got in: each process asked who was online, found nobody with that name, and let its newcomer in, since a socket counts as online only once it is in. Take the nickname in one step, where one keeper decides: const release = await nicknames.claim(nickname) in the middleware (TODO 11), and the primary keeping every worker's names (TODO 12)`,
      lesson,
    });
  }
  if (inside.length === 0) {
    const refusals = [...new Set(attempts.map((attempt) => (attempt.connected ? '' : attempt.error)))];
    fail({ expected, actual: `none did: they were refused with ${refusals.map((error) => `"${error}"`).join(', ')}${afterError(targets[0]!.log)}`, lesson });
  }
}

/** The clients that confirm every private message they get, as a page does once it shows it. */
const confirming = new WeakSet<Client>();

/**
 * Sends a private message from `sender` to `recipient`, who is on another process; fails the check
 * unless the server delivers it and answers { ok: true }. Asked of this process alone, "is the
 * recipient online?" says no, and an emit to their room reaches their process only through the adapter.
 */
async function expectPrivateDelivered(sender: Client, recipient: Client, where: string): Promise<void> {
  if (!confirming.has(recipient)) {
    confirming.add(recipient);
    recipient.socket.on('private message', (_message, confirm) => {
      if (typeof confirm === 'function') confirm({ ok: true });
    });
  }
  const text = `${sender.nickname} to ${recipient.nickname} alone 1215`;
  const answer = await askServerWithin(8000, sender.socket, 'private message', { id: randomUUID(), to: recipient.nickname, text });
  if (accepted(answer)) return;
  const got = recipient.received.named('private message').some(([message]) => (message as { text?: unknown } | undefined)?.text === text);
  const error = (answer as { error?: unknown } | undefined)?.error;
  const said = answer === undefined ? 'no answer came within 8 s' : `it answered ${json(answer)}`;
  fail({
    expected: `${where} to deliver a private message from ${sender.nickname} to ${recipient.nickname}, who is connected to another process, and answer { ok: true } once their client confirmed it`,
    actual:
      typeof error === 'string' && /not online/i.test(error)
        ? `${said}: the question "is ${recipient.nickname} online?" went to this process alone. In 'private message', ask every process, if (!(await onlineNicknames()).includes(to)), with onlineNicknames() from io.fetchSockets() (TODO 8)`
        : `${said}, and ${recipient.nickname} ${got ? 'got it' : 'never got it'}${got ? '' : ": send it to their room with io.to(…), which goes through the adapter to every process (not io.local)"}`,
    lesson: 'Ask every process who is online',
  });
}

check('one-process', 'in one process, the chat works as in step 11: a message reaches the others, the online list names everyone, a nickname in use is refused, and free again once its holder has left', async (app) => {
  // The first cluster starts while the checks of one process run.
  startNextAhead(app);
  const server: Target = { name: 'your server (one process, no WORKERS or REDIS_URL)', log: app.log };
  const alice = await join(app, server, 'alice-1', 'Start the primary, or a chat server');
  const bob = await join(app, server, 'bob-1', 'Start the primary, or a chat server');
  await expectOnline(bob, ['alice-1', 'bob-1'], 'onlineNicknames() should list every socket, from await io.fetchSockets(), and broadcastOnline() send that list', 'Ask every process who is online');
  const text = 'one process, as before 1201';
  await send(alice, text, 'your server', 'Start the primary, or a chat server');
  if (!(await bob.received.waitUntil((received) => timesGot(received, text) > 0))) {
    fail({
      expected: 'bob-1 to receive the message alice-1 sent to #general',
      actual: 'he never got it: in one process (no WORKERS, no REDIS_URL), chooseAdapter() returns no adapter, and socket.to(room).emit(…) works as in step 11',
      lesson: 'Relay broadcasts between workers',
    });
  }
  await expectTaken(app, server, 'ALICE-1', 'alice-1', 'the middleware should compare the nickname, in lower case, with everyone in await onlineNicknames()', 'Ask every process who is online');
  // alice-1 leaves: once bob-1's list no longer names her, her connection has closed, and her name is free.
  alice.socket.close();
  await bob.received.waitUntil((received) => {
    const list = lastOnline(received);
    return Array.isArray(list) && !list.includes('alice-1');
  }, 5000);
  const again = await app.tryConnect({ auth: { nickname: 'alice-1' } });
  if (!again.connected) {
    fail({
      expected: 'alice-1, who left, to join again with her nickname: it goes back when her connection closes',
      actual: `she was refused: "${again.error}". The middleware took the name and it was never given back: in holdNickname(), socket.conn.once('close', release) (TODO 11)`,
      lesson: 'Take a nickname in one step',
    });
  }
  again.socket.close();
});

/** A client that tries to come back at once, as a page does, only sooner. */
const quickReconnection = { reconnection: true, reconnectionDelay: 20, reconnectionDelayMax: 50, randomizationFactor: 0 };

/** A client of the first server that joins through `proxy` (which can cut it) and comes back by itself. */
async function joinThrough(app: LearnerApp, proxy: { readonly url: string }, nickname: string): Promise<Client> {
  const attempt = await app.tryConnect<ServerToClientEvents, ClientToServerEvents>({ via: proxy, auth: { nickname }, client: quickReconnection });
  if (!attempt.connected) fail({ expected: `a client "${nickname}" to join your server`, actual: `it could not: "${attempt.error}"${afterError(app.log)}`, lesson: 'Start the primary, or a chat server' });
  return { nickname, socket: attempt.socket, received: attempt.received };
}

/** How long one-process-recovery's client is away. */
const dropMs = 1000;

/** An event a client got, with its arguments. */
type Arrival = ReceivedEvents['events'][number];

/**
 * `typer` types until the last event `watcher` got is a 'typing', then `proxy` goes offline;
 * resolves with the last event `watcher` got before its socket saw the connection go, and the
 * socket's id until then.
 */
async function typeThenDrop(proxy: CuttableProxy, typer: Client, watcher: Client): Promise<{ lastBeforeDrop: Arrival | undefined; id: string | undefined }> {
  const typedAt = watcher.received.events.length;
  const typingIsLast = (received: ReceivedEvents) => received.events.length > typedAt && received.events.at(-1)?.name === 'typing';
  await keepTypingUntil(typer.socket, () => watcher.received.waitUntil(typingIsLast));
  const gone = new ConditionWaiters();
  let lastBeforeGone: Arrival | undefined;
  let disconnected = false;
  watcher.socket.once('disconnect', () => {
    lastBeforeGone = watcher.received.events.at(-1);
    disconnected = true;
    gone.wake();
  });
  const id = watcher.socket.id;
  proxy.goOffline();
  // A cut connection is seen at once; should it not be, what came until now is what it had.
  const lastBeforeDrop = (await gone.waitUntil(() => disconnected, 5000)) ? lastBeforeGone : watcher.received.events.at(-1);
  return { lastBeforeDrop, id };
}

/**
 * Resolves true once `client`'s socket connects again; false if not within 5 s. Noted as it
 * happens: a server that disconnects it again at once must not pass for one it never reached.
 */
async function connectsAgain(client: Client): Promise<boolean> {
  const back = new ConditionWaiters();
  let cameBack = false;
  const onConnect = () => {
    cameBack = true;
    back.wake();
  };
  client.socket.on('connect', onConnect);
  try {
    return await back.waitUntil(() => cameBack, 5000);
  } finally {
    client.socket.off('connect', onConnect);
  }
}

check('one-process-recovery', 'in one process, a client that drops for a moment, just after someone started typing, gets its connection back (socket.recovered) and what it missed, and keeps its nickname', async (app) => {
  const lesson = 'Relay broadcasts between workers';
  const proxy = await app.proxy();
  const hal = await joinThrough(app, proxy, 'hal-T');
  const gil = await join(app, oneProcessTarget(app), 'gil-T', 'Start the primary, or a chat server');
  const before = 'gil, before the drop 1213';
  await send(gil, before, 'your server', 'Start the primary, or a chat server');
  await hal.received.waitUntil((received) => timesGot(received, before) > 0);
  // As a page does while keys are pressed, until the last thing hal got is a 'typing': a dropped
  // one would leave nothing to test, nor would one followed by a broadcast that carries an offset
  // (the list of who is online, sent a moment after a join), and the wrong way would pass. What
  // counts is the last event hal got before his connection went: one already on its way (a list
  // after someone of a check before left, late on a busy machine) can still reach him after the
  // 'typing' was seen. Then he is let back, and gil types again before the next drop.
  let { lastBeforeDrop, id } = await typeThenDrop(proxy, gil, hal);
  for (let tries = 1; lastBeforeDrop?.name !== 'typing' && tries < 3; tries += 1) {
    const backAt = hal.received.events.length;
    proxy.goOnline();
    if (!(await connectsAgain(hal))) fail({ expected: 'hal-T to connect again once the network was back', actual: `he could not within 5 s${afterError(app.log)}`, lesson });
    // Back recovered, he must stay: a server that disconnects him would leave nobody to type to.
    if (hal.socket.recovered) await expectStillConnectedOnceBack(app, hal, backAt);
    ({ lastBeforeDrop, id } = await typeThenDrop(proxy, gil, hal));
  }
  const wentAway = performance.now();
  await gil.received.waitUntil((received) => {
    const list = lastOnline(received);
    return Array.isArray(list) && !list.includes('hal-T');
  });
  const missed = 'gil, while hal was away 1214';
  await send(gil, missed, 'your server', 'Start the primary, or a chat server');
  const recoveredAt = hal.received.events.length;
  // A drop of a second, of the server's time (its clock is moved on), as short as one a person
  // notices: not the few milliseconds the lines above take, which a window of 33 ms would cover.
  await letTimePass(app.serverClock, dropMs - (performance.now() - wentAway));
  proxy.goOnline();
  if (!(await connectsAgain(hal))) {
    fail({ expected: 'hal-T to connect again once the network was back', actual: `he could not within 5 s${afterError(app.log)}`, lesson });
  }
  if (hal.socket.recovered !== true) {
    const lastArgument = lastBeforeDrop?.args.at(-1);
    fail({
      expected: 'hal-T, back within a second, to get his connection back, socket.recovered true: in one process, connection state recovery stays on',
      actual:
        lastBeforeDrop?.name === 'typing' && typeof lastArgument === 'string'
          ? `he came back as a new connection (socket.id ${json(hal.socket.id)}, not ${json(id)}). The last event before the drop was "typing" with ${json(lastArgument)} as its last argument: the client takes the last argument of any event, when it is a string, for its recovery offset, and a volatile event carries none. Send socket.broadcast.volatile.emit('typing', { nickname }), as in step 11`
          : `he came back as a new connection (socket.id ${json(hal.socket.id)}, not ${json(id)}): give new Server connectionStateRecovery when there is no adapter, connectionStateRecovery: adapter ? undefined : { maxDisconnectionDuration: 2 * 60 * 1000, … } (TODO 7), a window of two minutes, not less than the second he was away`,
      lesson,
    });
  }
  if (!(await hal.received.waitUntil((received) => timesGot(received, missed) > 0))) {
    fail({ expected: `hal-T, recovered, to get "${missed}", said while he was away`, actual: 'it never came', lesson });
  }
  // His name went back when his connection closed, and a recovered socket skips the middleware:
  // the connection listener takes the name again. He stays, and nobody else can take it.
  const taker = await expectStillConnectedOnceBack(app, hal, recoveredAt);
  if (taker.connected) {
    fail({
      expected: '"HAL-T" to be refused while hal-T, recovered, is online',
      actual: "it was let in: hal-T's name went back when his connection closed, and a recovered socket skips the middleware. In the connection listener, when socket.recovered, take it again, holdNickname(socket, nickname) (TODO 11)",
      lesson: 'Take a nickname in one step',
    });
  }
});

/**
 * Fails unless `hal`, back with his connection recovered, is still connected once the server has
 * let in a connection after his, one that asks for his nickname in capitals (the server handles
 * them in turn); resolves with that connection's attempt, closed.
 */
async function expectStillConnectedOnceBack(app: LearnerApp, hal: Client, backAt: number): Promise<{ connected: boolean }> {
  const taker = await app.tryConnect({ auth: { nickname: 'HAL-T' } });
  if (taker.connected) taker.socket.close();
  if (!hal.socket.connected) {
    fail({
      expected: 'hal-T, recovered, to stay connected: nobody took his nickname while he was away',
      actual: `the server disconnected him once he was back${noticesSince(hal, backAt)}. A recovered socket skips the middleware, so his name is free when the connection listener takes it again, holdNickname(socket, nickname): disconnect him only when that finds it held (TODO 11)`,
      lesson: 'Take a nickname in one step',
    });
  }
  return taker;
}

/** ` (the notices it got once back: "…")`, or '' if none: those `client` got from its `from`-th event on, for a failure message. */
function noticesSince(client: Client, from: number): string {
  const notices = client.received.events.slice(from).filter((event) => event.name === 'notice').map((event) => event.args[0]);
  return notices.length === 0 ? '' : ` (the notices it got once back: ${notices.map((notice) => json(notice)).join(', ')})`;
}

const oneProcessTarget = (app: LearnerApp): Target => ({ name: 'your server', log: app.log });

check('replay-overlap', 'a client that comes back with the offset of the last message it got is sent the ones stored just before it too: with several processes, they can arrive after it', async (app) => {
  const lesson = 'Replay a little before the last offset';
  const server: Target = { name: 'your server', log: app.log };
  const ava = await join(app, server, 'ava-W', 'Start the primary, or a chat server');
  const bea = await join(app, server, 'bea-W', 'Start the primary, or a chat server');
  const texts = ['ava, a moment before 1211', 'ava, a moment later 1212'];
  for (const text of texts) await send(ava, text, 'your server', 'Start the primary, or a chat server');
  await bea.received.waitUntil((received) => texts.every((text) => timesGot(received, text) > 0));
  const offsetOf = (text: string) =>
    (bea.received.named('chat message').map(([message]) => message as { text?: unknown; offset?: unknown }).find((message) => message?.text === text)?.offset);
  const [earlier, later] = texts.map(offsetOf);
  if (typeof earlier !== 'number' || typeof later !== 'number') return; // step 11's offsets: its own checks say what is wrong.
  // A page that got the later one first, as happens when two processes store at once, then dropped.
  const back = await app.tryConnect<ServerToClientEvents, ClientToServerEvents>({ auth: { nickname: 'cal-W', serverOffset: later } });
  if (!back.connected) {
    fail({ expected: `a client "cal-W" with serverOffset ${later} in its handshake to be let in`, actual: `it was refused: "${back.error}"${afterError(app.log)}`, lesson });
  }
  if (!(await back.received.waitUntil((received) => timesGot(received, texts[0]!) > 0))) {
    fail({
      expected: `cal-W, who came back saying serverOffset ${later} (the offset of "${texts[1]}"), to be sent "${texts[0]}" too, stored just before it (offset ${earlier})`,
      actual: `it was not: with several processes, a message with a lower offset can reach a page after one with a higher offset, so the replay must start a little before the client's offset. In history.ts, messagesSince() reads from Math.max(0, offset - 50) (TODO 10)`,
      lesson,
    });
  }
});

// Processes started ahead. A cluster (a primary and two workers), or two servers with their Redis
// clients, take about 0.6 s to start, loading your code and its libraries: the processes of each
// check start while the check before it runs, the first cluster while your one process is
// checked. Each check still gets processes of its own, that nothing used before.

/** What each check starts, in the order the checks run. */
const processesOf: [checkId: string, kind: 'cluster' | 'redis pair'][] = [
  ['cluster-sessions', 'cluster'],
  ['cluster-broadcast', 'cluster'],
  ['cluster-online', 'cluster'],
  ['cluster-worker-dies', 'cluster'],
  ['redis-chat', 'redis pair'],
  ['redis-process-dies', 'redis pair'],
];

type Starting =
  | { kind: 'cluster'; cluster: ServerAhead }
  | { kind: 'redis pair'; pair: Promise<{ url: string; servers: [ServerAhead, ServerAhead] }> };

/** The processes started for the next check that needs some, in each judgement. */
const ahead = new WeakMap<LearnerApp, Starting & { checkId: string }>();

const clusterAhead = (app: LearnerApp): ServerAhead => app.startServerAhead({ env: { WORKERS: '2' } });

function redisPairAhead(app: LearnerApp): Promise<{ url: string; servers: [ServerAhead, ServerAhead] }> {
  const pair = app.redis().then(({ url }) => ({
    url,
    servers: [app.startServerAhead({ env: { REDIS_URL: url } }), app.startServerAhead({ env: { REDIS_URL: url } })] as [ServerAhead, ServerAhead],
  }));
  // A Redis server that is missing is told by the check that needs it.
  pair.catch(() => {});
  return pair;
}

/** Starts the processes of the first check after `afterCheckId` (or of all) that runs in this judgement and starts some. */
function startNextAhead(app: LearnerApp, afterCheckId?: string): void {
  const after = afterCheckId === undefined ? 0 : processesOf.findIndex(([id]) => id === afterCheckId) + 1;
  const next = processesOf.slice(after).find(([id]) => app.runs(id));
  if (!next || ahead.has(app)) return;
  const [checkId, kind] = next;
  ahead.set(app, kind === 'cluster' ? { kind, cluster: clusterAhead(app), checkId } : { kind, pair: redisPairAhead(app), checkId });
}

/** The processes started ahead for `checkId`, if they were. */
function takeAhead(app: LearnerApp, checkId: string): Starting | undefined {
  const starting = ahead.get(app);
  if (starting?.checkId !== checkId) return undefined;
  ahead.delete(app);
  return starting;
}

// The cluster: `WORKERS=2`, started by the checker beside your first server.

interface Cluster extends Target {
  server: StartedServer;
  /** Until when a client that gets no answer may try again: the workers start after the primary listens. */
  readyBy: number;
}

/**
 * How long after the primary listens its workers may take to answer: each loads your code anew,
 * which takes a second on an idle machine and far longer on a busy one. A cluster that works
 * answers as soon as it can; only one that never will waits this long.
 */
const clusterReadyWithinMs = 30_000;

async function startCluster(app: LearnerApp, checkId: string): Promise<Cluster> {
  const ahead = takeAhead(app, checkId);
  let server: StartedServer;
  try {
    server = await (ahead?.kind === 'cluster' ? ahead.cluster : clusterAhead(app)).take();
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    return fail({ expected: 'WORKERS=2 to start a primary process that listens on the port', actual: error.actual, lesson: 'Start the primary, or a chat server' });
  }
  startNextAhead(app, checkId);
  return { server, via: server, name: 'the cluster (WORKERS=2)', log: server.log, readyBy: performance.now() + clusterReadyWithinMs };
}

/** Fails the check unless the cluster's primary has started exactly two workers, as WORKERS=2 asks. */
async function expectWorkers(cluster: Cluster): Promise<number[]> {
  const pids = await cluster.server.workerPids();
  if (pids.length === 2) return pids;
  return fail({
    expected: 'WORKERS=2 to start a primary process and two worker processes',
    actual:
      pids.length === 0
        ? 'it started no worker: in index.ts, when cluster.isPrimary && workers > 1, call startPrimary(workers, port) (TODO 1), and in primary.ts, cluster.fork() once per worker (TODO 2)'
        : pids.length === 1
          ? 'it started only one: in primary.ts, call cluster.fork() once per worker wanted, `workers` times (TODO 2)'
          : `it started ${pids.length} (processes ${pids.join(', ')}): in primary.ts, call cluster.fork() \`workers\` times, no more (TODO 2)`,
    lesson: pids.length === 0 ? 'Start the primary, or a chat server' : 'Start the workers',
  });
}

/**
 * Fails the check unless the cluster's log names the process of each of its workers: "Run it"
 * has the learner end one by its number. Asked once both workers have served clients, so have
 * started: what they printed then is on its way, or in.
 */
async function expectWorkersLogged(cluster: Cluster, pids: number[]): Promise<void> {
  const names = (pid: number) => new RegExp(`\\b${pid}\\b`);
  const unnamed = () => pids.filter((pid) => !cluster.log.find(names(pid)));
  if (await cluster.log.waitUntil(() => unnamed().length === 0, 5000)) return;
  fail({
    expected: `the cluster's log to say which process each worker is (processes ${pids.join(' and ')})`,
    actual: `it never named process ${unnamed().join(' or ')}; it printed ${json(cluster.log.tail(6).map((line) => line.trim()))}. In a worker, log \`worker \${cluster.worker!.id} (process \${process.pid}) ready: \${description}\` once setupWorker(io) is called (TODO 4)`,
    lesson: 'Keep each session on one worker',
  });
}

/**
 * A client that joins the cluster, as a page would: over WebSocket, or by long-polling only.
 * The primary listens before its workers are ready, and a connection it hands to a worker that
 * is still starting is never answered: such an attempt is given up after 0.7 s, and tried again,
 * for as long as the workers may take to start.
 */
async function joinCluster(
  app: LearnerApp,
  cluster: Cluster,
  nickname: string,
  transport: 'websocket' | 'polling' = 'websocket',
  options: Partial<ManagerOptions> = {},
): Promise<Client> {
  let lostSessions = 0;
  /** How the first try that lost its session failed: a later refusal may be that try's doing. */
  let firstLoss: string | undefined;
  for (;;) {
    const attempt = await app.tryConnect<ServerToClientEvents, ClientToServerEvents>({
      via: cluster.via,
      auth: { nickname },
      client: { transports: [transport], timeout: 700, ...options },
    });
    if (attempt.connected) return { nickname, socket: attempt.socket, received: attempt.received };
    if (attempt.error === 'timeout') await expectWorkers(cluster);
    // A worker that waits for the primary to take a nickname, in vain, says so: no use waiting longer.
    const unanswered = cluster.log.lines.some((line) => line.text.includes('the primary did not answer'));
    if (attempt.error === 'timeout' && !unanswered && performance.now() < cluster.readyBy) continue;
    // @socket.io/sticky learns which worker holds a new session from a message that worker sends
    // the primary, and the client's next request can arrive first: it then goes wherever the
    // balancing method says, which with 'round-robin' or 'random' may be the other worker
    // (socketio/socket.io-sticky#2). A page tries again by itself, and so does this client, twice;
    // without sticky sessions every try fails the same way.
    if (/^xhr (poll|post) error$/.test(attempt.error)) {
      firstLoss ??= attempt.error;
      if (++lostSessions < 3) continue;
    }
    return failToJoinCluster(cluster, nickname, transport, attempt.error, firstLoss);
  }
}

/** What became of a client after its worker died: the evidence when it does not come back. */
interface Comeback {
  /** Why its connection was closed, last. */
  lostBecause?: string;
  /** Its tries to connect again (the client's own reconnection attempts). */
  tries: number;
  /** How many times it was connected again. */
  backs: number;
  /** Why its last try failed, if one was refused. */
  lastRefusal?: string;
}

/** ` (ida-K: closed ("transport close"), 12 tries, never back, the last refused: "…")`, for each client that is not back. */
function comebacks(clients: Client[], told: Map<Client, Comeback>): string {
  const stories = clients.map((client) => {
    const story = told.get(client);
    if (!story) return `${client.nickname}: nothing heard`;
    const parts = [
      `closed${story.lostBecause ? ` ("${story.lostBecause}")` : ''}`,
      `${story.tries} ${story.tries === 1 ? 'try' : 'tries'} to come back`,
      story.backs === 0 ? 'never back' : `back ${story.backs === 1 ? 'once' : `${story.backs} times`}, then closed again`,
      ...(story.lastRefusal ? [`the last refused: "${story.lastRefusal}"`] : []),
    ];
    return `${client.nickname}: ${parts.join(', ')}`;
  });
  return stories.length > 0 ? ` (${stories.join('; ')})` : '';
}

/**
 * How long the clients of a worker that died have to reconnect to the cluster. New sessions go to
 * the worker with the fewest, the replacement, which answers none until it has started: seconds,
 * on a busy machine.
 */
const reconnectWithinMs = 30_000;
/** How long the primary has to start a worker in place of the one that died. */
const replaceWithinMs = 15_000;

/**
 * Waits until the cluster runs a worker that is not one of `before`. Gives the worker pids listed
 * last either way: when none came within `withinMs`, they are the evidence (no process at all
 * means the primary itself is gone). Gives up at once when `primaryEnded()`: none can come then.
 */
async function newWorkerStarted(cluster: Cluster, before: number[], withinMs: number, primaryEnded: () => boolean): Promise<{ started: boolean; listed: number[] | string }> {
  const until = performance.now() + withinMs;
  for (;;) {
    const listed = await cluster.server.workerPids().catch((error: Error) => `pgrep failed: ${error.message}`);
    if (typeof listed !== 'string' && listed.some((pid) => !before.includes(pid))) return { started: true, listed };
    if (performance.now() > until || primaryEnded()) return { started: false, listed };
    // Only a listing of processes can tell: look again in a moment.
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function failToJoinCluster(cluster: Cluster, nickname: string, transport: 'websocket' | 'polling', error: string, firstLoss?: string): Promise<never> {
  await expectWorkers(cluster);
  const expected = `a client "${nickname}" ${transport === 'polling' ? 'that can only long-poll' : 'over WebSocket'} to join the cluster (WORKERS=2)`;
  const unanswered = cluster.log.lines.find((line) => line.text.includes('the primary did not answer'));
  if (unanswered) {
    return fail({
      expected,
      actual: `a worker printed "${unanswered.text.trim()}": a worker takes a nickname by asking the primary, so the primary must keep them, keepNicknamesForWorkers() (TODO 12)`,
      lesson: 'Take a nickname in one step',
    });
  }
  if (error === 'timeout') {
    return fail({
      expected,
      actual: `no worker answered, ${clusterReadyWithinMs / 1000} s after the cluster started${afterError(cluster.log)}: the primary should hand each connection to a worker, setupMaster(server, …) (TODO 3), and each worker take them, setupWorker(io) instead of listening (TODO 4)`,
      lesson: 'Keep each session on one worker',
    });
  }
  if (/^xhr (poll|post) error$/.test(error)) {
    return fail({ expected, actual: `it failed with "${error}"${notSticky}`, lesson: 'Keep each session on one worker' });
  }
  if (/websocket error|disconnected during the handshake/.test(error)) {
    return fail({
      expected,
      actual: `its connection was closed during the handshake ("${error}")${afterError(cluster.log)}: the primary passes each connection's first bytes to a worker as a Buffer, which only cluster.setupPrimary({ serialization: 'advanced' }), before cluster.fork(), keeps one (TODO 2)`,
      lesson: 'Start the workers',
    });
  }
  if (firstLoss) {
    // Its first try got in, then lost its session: that try's connection, left on a worker the
    // client no longer reaches, holds the nickname until it times out.
    return fail({
      expected,
      actual: `its first try failed with "${firstLoss}", and the next was refused, "${error}": the first try's connection, left on a worker it could no longer reach, still held the nickname${notSticky}`,
      lesson: 'Keep each session on one worker',
    });
  }
  return fail({ expected, actual: `your middleware refused it, "${error}", though nobody else had that nickname${afterError(cluster.log)}`, lesson: 'Take a nickname in one step' });
}

check(
  'cluster-sessions',
  'with WORKERS=2, a primary and two workers share one port: a WebSocket client and a client that can only long-poll both get in and are answered',
  async (app) => {
    const cluster = await startCluster(app, 'cluster-sessions');
    const wendy = await joinCluster(app, cluster, 'wendy-S');
    await expectWorkers(cluster);
    await send(wendy, 'wendy over WebSocket 1202', 'the cluster', 'Keep each session on one worker');
    // Long-polling: the handshake, the CONNECT, each message and each answer are HTTP requests of
    // their own, each on a new connection. Without sticky sessions, each lands on either worker:
    // a dozen of them all reaching the right one is unlikely.
    const paul = await joinCluster(app, cluster, 'paul-S', 'polling');
    for (const count of [1, 2, 3, 4]) await send(paul, `paul by long-polling, ${count} 1203`, 'the cluster', 'Keep each session on one worker');
  },
);

check(
  'cluster-broadcast',
  'with WORKERS=2, clients spread over both workers, and each gets every message the others send, once, with no offset (recovery off)',
  async (app) => {
    const cluster = await startCluster(app, 'cluster-broadcast');
    // New sessions go to the worker with the fewest: one after the other, they alternate.
    const clients = [
      await joinCluster(app, cluster, 'ann-B'),
      await joinCluster(app, cluster, 'ben-B'),
      await joinCluster(app, cluster, 'cid-B'),
      await joinCluster(app, cluster, 'dot-B', 'polling'),
    ];
    // The server replays the history to a newcomer a moment after it tells the client it is in: a
    // message another worker stores meanwhile would arrive twice, from the history and live (its page
    // shows it once, by its id). The notice about the last one comes after its replay: once one of
    // the others has it, the replay is done (waiting for ann-B alone took 2 s when she is on the
    // other worker and no notice crosses between workers).
    const noticed = (client: Client) => client.received.waitUntil((received) => received.named('notice').some(([text]) => String(text).includes('dot-B')));
    await new Promise<void>((resolve) => {
      let waiting = 3;
      for (const client of clients.slice(0, 3)) void noticed(client).then((seen) => (seen || --waiting === 0) && resolve());
    });
    const textOf = (client: Client) => `hello from ${client.nickname} 1204`;
    for (const client of clients) await send(client, textOf(client), 'the cluster', 'Relay broadcasts between workers');
    const others = (client: Client) => clients.filter((other) => other !== client);
    await Promise.all(clients.map((client) => client.received.waitUntil((received) => others(client).every((other) => timesGot(received, textOf(other)) > 0), 3000)));
    const missed = clients.flatMap((client) => others(client).filter((other) => timesGot(client.received, textOf(other)) === 0).map((other) => `${client.nickname} never got ${other.nickname}'s`));
    if (missed.length > 0) {
      fail({
        expected: 'each of ann-B, ben-B, cid-B and dot-B (2 on each worker) to receive the messages of the 3 others',
        actual: `${missed.join(', ')}: a message sent to one worker never reached the clients of the other. Give new Server an adapter, the cluster adapter in a worker (TODO 6, TODO 7), and relay between workers in the primary, setupPrimary() (TODO 5)`,
        lesson: 'Relay broadcasts between workers',
      });
    }
    // A last message from ann-B: once everyone has it, a copy of the earlier ones would be in too.
    const last = 'that is all from ann-B 1205';
    await send(clients[0]!, last, 'the cluster', 'Relay broadcasts between workers');
    await Promise.all(others(clients[0]!).map((client) => client.received.waitUntil((received) => timesGot(received, last) > 0)));
    const twice = clients.flatMap((client) => others(client).filter((other) => timesGot(client.received, textOf(other)) > 1).map((other) => `${client.nickname} got ${other.nickname}'s ${timesGot(client.received, textOf(other))} times`));
    if (twice.length > 0) {
      fail({
        expected: 'each message to reach each client once',
        actual: `${twice.join(', ')}: call setupPrimary() once, in the primary (not once per worker), and give each server one adapter`,
        lesson: 'Relay broadcasts between workers',
      });
    }
    // With connection state recovery on, the cluster adapter adds its offset, always "", to every event.
    const withOffset = clients.flatMap((client) => client.received.named('chat message').filter((args) => args.length > 1).map((args) => ({ client, args })));
    if (withOffset.length > 0) {
      const [{ client, args }] = withOffset as [{ client: Client; args: unknown[] }];
      fail({
        expected: "each 'chat message' to come as the message alone, with no offset after it: connection state recovery off where there is an adapter",
        actual: `${client.nickname} got ${json(args)}: the cluster adapter added an offset, so recovery is on. It cannot recover anything here, and every emit to one socket goes through the adapter to every worker: give new Server connectionStateRecovery only when there is no adapter (TODO 7)`,
        lesson: 'Relay broadcasts between workers',
      });
    }
  },
);

check(
  'cluster-online',
  'with WORKERS=2, the online list names the users of both workers, a private message reaches someone on the other worker, a nickname in use on one worker is refused on the other, and of four handshakes for one nickname at the same moment, one gets in',
  async (app) => {
    const cluster = await startCluster(app, 'cluster-online');
    const clients = [
      await joinCluster(app, cluster, 'eve-O'),
      await joinCluster(app, cluster, 'fay-O'),
      await joinCluster(app, cluster, 'gus-O'),
      await joinCluster(app, cluster, 'hal-O'),
    ];
    const nicknames = clients.map((client) => client.nickname);
    await expectOnline(
      clients.at(-1)!,
      nicknames,
      "io.of('/').sockets holds the sockets of one process only. Ask every process, with await io.fetchSockets() (TODO 8)",
      'Ask every process who is online',
    );
    // The three others: at least one of them is on the other worker.
    for (const recipient of clients.slice(1)) await expectPrivateDelivered(clients[0]!, recipient, 'the cluster');
    // Someone online on no worker: still refused, saying why, as since step 09.
    const toNobody = await askServerWithin(8000, clients[0]!.socket, 'private message', { id: randomUUID(), to: 'nobody-O', text: 'eve-O to nobody 1217' });
    if (!refused(toNobody)) {
      fail({
        expected: 'the cluster to refuse a private message to "nobody-O", who is online on no worker, saying why: { ok: false, error: "…" }',
        actual: toNobody === undefined ? 'no answer came within 8 s' : `it answered ${json(toNobody)}: in 'private message', answer({ ok: false, error: \`\${to} is not online.\` }) when (await onlineNicknames()) does not include them`,
        lesson: 'Ask every process who is online',
      });
    }
    // Each try is a new connection, given to the worker with the fewest, the first one on a tie:
    // eve-O's. fay-O, who joined second, is on the other.
    for (const holder of ['fay-O', 'eve-O', 'hal-O', 'gus-O']) {
      await expectTaken(app, cluster, holder.toUpperCase(), holder, 'check the nickname against everyone in every process, (await onlineNicknames()) from io.fetchSockets() (TODO 8)', 'Ask every process who is online');
    }
    // The primary gives a new session to the worker with the fewest, counted once a handshake
    // is done: four at once may all reach one worker (redis-chat sends them to both servers).
    await expectClaimedOnce(app, [cluster, cluster, cluster, cluster], 'ivy-O', 'to the cluster');
  },
);

check(
  'cluster-worker-dies',
  'with WORKERS=2, a worker that dies is replaced at once, the worker left carries on when asking the dead one who is online fails, and the clients come back and chat with the others',
  async (app) => {
    const cluster = await startCluster(app, 'cluster-worker-dies');
    // Clients that reconnect by themselves, as a page does, only sooner.
    const reconnecting = { reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 300 };
    const clients: Client[] = [];
    for (const nickname of ['ida-K', 'jon-K', 'kai-K', 'lou-K']) clients.push(await joinCluster(app, cluster, nickname, 'websocket', reconnecting));
    // Both workers hold some of the four by now (checked below): without sticky sessions, the
    // requests of a client that only long-polls would land on both.
    const pia = await joinCluster(app, cluster, 'pia-K', 'polling');
    for (const count of [1, 2]) await send(pia, `pia by long-polling, ${count} 1210`, 'the cluster', 'Keep each session on one worker');
    const changes = new ConditionWaiters();
    const dropped = new Set<Client>();
    /** What became of each client after the death, to show if it does not come back. */
    const comeback = new Map<Client, Comeback>();
    const storyOf = (client: Client) => comeback.get(client) ?? comeback.set(client, { tries: 0, backs: 0 }).get(client)!;
    /** Once it is known who was on the dead worker: the first client to lose its connection after that, and when. */
    let split = false;
    /** `at`: on the cluster's clock, which the check moves on below. */
    let droppedAgain: { client: Client; at: Promise<number> } | undefined;
    for (const client of clients) {
      // Each try to come back may reach a worker that has only just started: give it 2 s, not 0.7.
      client.socket.io.timeout(2000);
      client.socket.on('disconnect', (reason) => {
        dropped.add(client);
        storyOf(client).lostBecause = reason;
        if (split) droppedAgain ??= { client, at: cluster.server.clock.now() };
        changes.wake();
      });
      client.socket.on('connect', () => {
        storyOf(client).backs += 1;
        changes.wake();
      });
      client.socket.io.on('reconnect_attempt', () => (storyOf(client).tries += 1));
      client.socket.on('connect_error', (error) => (storyOf(client).lastRefusal = error.message));
    }
    const pids = await expectWorkers(cluster);
    // A primary that ends takes every worker with it: nobody can come back then, so no use waiting.
    let primaryExit: ServerExit | undefined;
    void cluster.server.exited.then((exit) => {
      primaryExit = exit;
      changes.wake();
    });
    const logBeforeDeath = cluster.log.mark();
    const printedSinceDeath = () => cluster.log.lines.slice(logBeforeDeath).map((line) => line.text.trim());
    /** Fails the check, saying why, if the primary has ended: a primary must outlive its workers. */
    const failIfPrimaryEnded = () => {
      const printed = printedSinceDeath();
      // An 'error' event with no listener ends the process it is emitted in, and Node.js names it:
      // the primary, here, and every worker with it (a replacement forked just before, too).
      const unheard = printed.indexOf("Emitted 'error' event on Worker instance at:");
      if (unheard >= 0) {
        const error = printed.slice(0, unheard).findLast((line) => /^\w*Error\b/.test(line));
        fail({
          expected: 'the primary to stay up when a worker dies, and start another',
          actual: `it stopped on an 'error' event of a worker that nothing listened to${error ? ` ("${error}")` : ''}: a message the primary sends a worker as it dies fails there. On cluster's 'fork' event, give each worker an 'error' listener that logs it (TODO 2)`,
          lesson: 'Start the workers',
        });
      }
      if (primaryExit) {
        const how = primaryExit.signal ? `on signal ${primaryExit.signal}` : `with exit code ${primaryExit.code}`;
        fail({
          expected: 'the primary to stay up when a worker dies, and start another',
          actual: `the primary ended too, ${how}, and every worker with it${afterError(cluster.log)}; it printed ${printed.length > 0 ? json(printed.slice(-4)) : 'nothing'} after the death. The primary must outlive its workers: what it does when one dies (cluster's 'exit' event, TODO 2) must not end it`,
          lesson: 'Start the workers',
        });
      }
    };
    process.kill(pids[0]!, 'SIGKILL');
    const diedAt = await cluster.server.clock.now();
    // Watched from now on: the primary may take a moment, and a busy machine more.
    const replaced = newWorkerStarted(cluster, pids, replaceWithinMs, () => primaryExit !== undefined);
    await changes.waitUntil(() => dropped.size > 0, 2000);
    // A client of the surviving worker answers; one of the dead worker's is dropped on the way, if not yet.
    await Promise.all(clients.filter((client) => !dropped.has(client)).map((client) => askServer(client.socket, 'join room', 'general')));
    const gone = clients.filter((client) => dropped.has(client));
    const stayed = clients.filter((client) => !dropped.has(client));
    // All dropped: the primary may have ended, and taken every worker with it. Its end is told
    // just after its clients see their connections close.
    if (stayed.length === 0) await changes.waitUntil(() => primaryExit !== undefined, answerWithinMs);
    failIfPrimaryEnded();
    if (gone.length === 0 || stayed.length === 0) {
      fail({
        expected: 'the 4 clients, who joined one after the other, to be spread over both workers, so that killing one worker drops some of them, not all',
        actual: `${gone.length === 0 ? 'none dropped: they were all on the other worker' : 'all 4 dropped: they were all on that worker'}. New sessions should go to the worker with the fewest: let the primary listen and hand them over, setupMaster(server, { loadBalancingMethod: 'least-connection' }) (TODO 3), and each worker take them, setupWorker(io) (TODO 4)`,
        lesson: 'Keep each session on one worker',
      });
    }
    split = true;
    await expectWorkersLogged(cluster, pids);
    // A question for every worker, to the one left, at once: it counts the dead one for 10 s, and
    // fetchSockets() waits 5 s for its answer, then fails. The worker must carry on with its own
    // sockets: a private message to nobody is then refused, not the end of the process.
    let answered = false;
    void askServerWithin(15_000, stayed[0]!.socket, 'private message', { id: randomUUID(), to: 'nobody-K', text: 'is anyone there? 1216' }).then(() => {
      answered = true;
      changes.wake();
    });
    // Seconds, at worst: a survivor that gets one asks the dead worker who is online, until it gives
    // up. The cluster adapter counts a worker until it has not heard from it for 10 s (checked each
    // second), and fetchSockets() waits 5 s for every worker it counts: up to 16 s after the death.
    const reconnected = await changes.waitUntil(() => primaryExit !== undefined || gone.every((client) => client.socket.connected), reconnectWithinMs);
    // Asked only now, with the answer in hand or its deadline past: a listing of processes, taken
    // once at the moment the clients gave up, can miss a replacement on a busy machine.
    const replacement = await replaced;
    const printed = printedSinceDeath();
    failIfPrimaryEnded();
    if (!replacement.started) {
      const { listed } = replacement;
      const workersLeft = typeof listed === 'string' ? listed : listed.length === 0 ? 'it had no worker left' : `${listed.length > 1 ? 'its workers were processes' : 'its only worker was process'} ${listed.join(', ')}`;
      fail({
        expected: 'the primary to start a new worker when one dies, whatever the reason',
        actual: `none came within ${replaceWithinMs / 1000} s of the death of process ${pids[0]}: ${workersLeft}, and the cluster printed ${printed.length > 0 ? json(printed.slice(-4)) : 'nothing'} meanwhile. The one left must carry everyone: in primary.ts, on cluster's 'exit' event, cluster.fork() another (TODO 2)`,
        lesson: 'Start the workers',
      });
    }
    if (!reconnected) {
      fail({
        expected: `${gone.map((client) => client.nickname).join(' and ')}, dropped when their worker died, to reconnect`,
        actual: `they could not within ${reconnectWithinMs / 1000} s, though a new worker was started${comebacks(gone.filter((client) => !client.socket.connected), comeback)}${afterError(cluster.log)}; the cluster printed ${printed.length > 0 ? json(printed.slice(-4)) : 'nothing'} after the death`,
        lesson: 'Start the workers',
      });
    }
    // The worker left waits for the dead one on its own clock (fetchSockets() gives up after 5 s):
    // the cluster's clock is moved on through it.
    await waitThroughTime(cluster.server.clock, 15_000, (ms) => changes.waitUntil(() => answered || droppedAgain !== undefined, ms), { stepMs: 500 });
    if (droppedAgain) {
      const { client } = droppedAgain;
      const at = await droppedAgain.at;
      const error = lastError(cluster.log);
      fail({
        expected: `the worker left to carry on after the other died, whatever it asks the dead one`,
        actual: `${client.nickname} lost the connection ${((at - diedAt) / 1000).toFixed(1)} s after the other worker died, once ${stayed[0]!.nickname} had sent a private message to "nobody-K", which makes the worker left ask every worker who is online: that worker ended too${error ? ` (its last error: "${error}")` : ''}${
          error && /timeout reached|responses received/.test(error)
            ? '. fetchSockets() gave up waiting for the dead worker, and nothing caught it: io.fetchSockets().catch(() => io.local.fetchSockets()) in onlineNicknames() (TODO 8)'
            : ''
        }`,
        lesson: 'Ask every process who is online',
      });
    }
    const back = gone[0]!;
    const text = `${back.nickname} is back 1206`;
    await send(back, text, 'the cluster', 'Start the workers');
    const reply = `welcome back, from ${stayed[0]!.nickname} 1207`;
    await send(stayed[0]!, reply, 'the cluster', 'Start the workers');
    const heard = await Promise.all([
      ...stayed.map((client) => client.received.waitUntil((received) => timesGot(received, text) > 0)),
      back.received.waitUntil((received) => timesGot(received, reply) > 0),
    ]);
    if (heard.includes(false)) {
      fail({
        expected: `${back.nickname}, back on a new worker, and the clients who stayed to chat with each other`,
        actual: 'a message between them never arrived: the new worker needs the cluster adapter too (chooseAdapter() gives it to every worker)',
        lesson: 'Relay broadcasts between workers',
      });
    }
  },
);

// Two servers and a Redis server: `REDIS_URL=… npm run step 12`, twice.

async function startRedisPair(app: LearnerApp, checkId: string): Promise<[Target & { server: StartedServer }, Target & { server: StartedServer }]> {
  const ahead = takeAhead(app, checkId);
  const { url, servers } = await (ahead?.kind === 'redis pair' ? ahead.pair : redisPairAhead(app));
  startNextAhead(app, checkId);
  const take = async (server: ServerAhead, name: string) => {
    try {
      const taken = await server.take();
      return { server: taken, via: taken, name, log: taken.log };
    } catch (error) {
      if (!(error instanceof CheckFailure)) throw error;
      return fail({ expected: `a server started with REDIS_URL=${url} to listen`, actual: error.actual, lesson: 'Several machines: the Redis adapter' });
    }
  };
  return Promise.all([take(servers[0], 'process A'), take(servers[1], 'process B')]);
}

check(
  'redis-chat',
  'two servers sharing a Redis server: a message sent to one reaches the clients of the other, both ways; the online list names the users of both; a private message crosses; a nickname is taken once, even by handshakes at the same moment; a newcomer gets the history of both, and not through Redis',
  async (app) => {
    const [a, b] = await startRedisPair(app, 'redis-chat');
    const mia = await join(app, a, 'mia-R', 'Several machines: the Redis adapter');
    const ned = await join(app, b, 'ned-R', 'Several machines: the Redis adapter');
    const pairs: [Client, Target, Client, Target][] = [
      [mia, a, ned, b],
      [ned, b, mia, a],
    ];
    for (const [sender, from, receiver, to] of pairs) {
      const text = `${sender.nickname} on ${from.name} 1208`;
      await send(sender, text, from.name, 'Several machines: the Redis adapter');
      if (!(await receiver.received.waitUntil((received) => timesGot(received, text) > 0))) {
        fail({
          expected: `${receiver.nickname}, on ${to.name}, to receive the message ${sender.nickname} sent to ${from.name}`,
          actual:
            'it never came: a message sent to one process never reached a client of the other. Give new Server an adapter: with REDIS_URL set, chooseAdapter() should return the Redis adapter, createAdapter(publisher, subscriber) (TODO 9)',
          lesson: 'Several machines: the Redis adapter',
        });
      }
    }
    await expectOnline(ned, ['mia-R', 'ned-R'], `mia-R is on ${a.name}: the list should come from await io.fetchSockets(), which asks every process (TODO 8)`, 'Ask every process who is online');
    await expectPrivateDelivered(mia, ned, `${a.name}`);
    await expectTaken(app, b, 'MIA-R', `mia-R (on ${a.name})`, 'check the nickname against everyone, (await onlineNicknames()) from io.fetchSockets() (TODO 8)', 'Ask every process who is online');
    await expectClaimedOnce(app, [a, b, a, b], 'oda-R', 'to both servers');
    await expectReplayStaysLocal(app, b, pairs.map(([sender, from]) => `${sender.nickname} on ${from.name} 1208`));
  },
);

/**
 * A newcomer to `target` gets the history (`texts` among it) from that server alone: with
 * connection state recovery on, every emit to one socket goes through the adapter, and the Redis
 * adapter publishes it on the channel of that socket's own room, for every server to hear.
 */
async function expectReplayStaysLocal(app: LearnerApp, target: Target, texts: string[]): Promise<void> {
  const { url } = await app.redis();
  const { createClient } = await import('redis');
  const listener = createClient({ url });
  listener.on('error', () => {});
  const channels: string[] = [];
  const heard = new ConditionWaiters();
  const marker = `checker-marker-${randomUUID()}`;
  try {
    await listener.connect();
    await listener.pSubscribe('*', (_message, channel) => {
      channels.push(channel);
      heard.wake();
    });
    const sue = await join(app, target, 'sue-R', 'Several machines: the Redis adapter');
    if (!(await sue.received.waitUntil((received) => texts.every((text) => timesGot(received, text) > 0)))) {
      const missing = texts.filter((text) => timesGot(sue.received, text) === 0);
      fail({
        expected: `sue-R, a newcomer on ${target.name}, to get the latest messages from the history, those said on either server among them`,
        actual: `she never got ${missing.map((text) => `"${text}"`).join(' or ')}: both servers store their messages in the one SQLite file, and a newcomer gets the latest from it (step 11's replay, messagesSince(0, …))`,
        lesson: 'The idea',
      });
    }
    // Answered after the connection listener ran: whatever it published has been sent to Redis.
    await askServer(sue.socket, 'join room', 'general');
    const publisher = listener.duplicate();
    try {
      await publisher.connect();
      await publisher.publish(marker, 'the checker');
    } finally {
      publisher.destroy();
    }
    await heard.waitUntil(() => channels.includes(marker), answerWithinMs);
    const ownRoom = channels.filter((channel) => channel.includes(`#${sue.socket.id}#`));
    if (ownRoom.length > 0) {
      fail({
        expected: `the history replayed to sue-R, a newcomer on ${target.name}, to go to her alone`,
        actual: `${ownRoom.length} message${ownRoom.length === 1 ? ' was' : 's were'} published on the Redis channel "${ownRoom[0]}", the room of her socket alone, for every server to hear: connection state recovery is on, and with it every emit to one socket goes through the adapter. Give new Server connectionStateRecovery only when there is no adapter (TODO 7)`,
        lesson: 'Relay broadcasts between workers',
      });
    }
  } finally {
    listener.destroy();
  }
}

check(
  'redis-process-dies',
  'two servers sharing a Redis server: when one is killed, the other goes on at once: its users chat, a newcomer gets in, and the online list forgets the dead server’s users',
  async (app) => {
    const [a, b] = await startRedisPair(app, 'redis-process-dies');
    await join(app, a, 'oli-D', 'Several machines: the Redis adapter');
    const pam = await join(app, b, 'pam-D', 'Several machines: the Redis adapter');
    const quy = await join(app, b, 'quy-D', 'Several machines: the Redis adapter');
    await expectOnline(quy, ['oli-D', 'pam-D', 'quy-D'], `oli-D is on ${a.name}: the list should come from await io.fetchSockets() (TODO 8)`, 'Ask every process who is online');
    await a.server.kill('SIGKILL');
    await a.server.exited;
    const text = `pam, after ${a.name} died 1209`;
    await send(pam, text, b.name, 'Several machines: the Redis adapter');
    if (!(await quy.received.waitUntil((received) => timesGot(received, text) > 0))) {
      fail({ expected: `quy-D to receive what pam-D, also on ${b.name}, sent after ${a.name} died`, actual: `it never came${afterError(b.log)}`, lesson: 'Several machines: the Redis adapter' });
    }
    // Within the checker's 2 s: Redis knows at once that A's connections are gone, and so does fetchSockets.
    const rex = await app.tryConnect<ServerToClientEvents, ClientToServerEvents>({ via: b.via, auth: { nickname: 'rex-D' } });
    if (!rex.connected) {
      fail({
        expected: `a newcomer, rex-D, to join ${b.name} at once after ${a.name} died`,
        actual: `it could not within 2 s ("${rex.error}")${afterError(b.log)}: the middleware should ask every process that is still there, await io.fetchSockets() (TODO 8)`,
        lesson: 'Ask every process who is online',
      });
    }
    const alive = (received: ReceivedEvents) => {
      const list = lastOnline(received);
      return Array.isArray(list) && list.includes('rex-D');
    };
    await rex.received.waitUntil(alive);
    const list = lastOnline(rex.received);
    if (!alive(rex.received) || (list as unknown[]).includes('oli-D')) {
      fail({
        expected: `the online list rex-D got to name rex-D, and no longer oli-D, whose server (${a.name}) died`,
        actual: `it was ${json(list ?? null)}: build it from await io.fetchSockets(), which only asks the processes still there, never from a list of your own (TODO 8)`,
        lesson: 'Ask every process who is online',
      });
    }
  },
);

// Last, as in the lesson: what a recovered socket does with its nickname (TODO 11).
check('recovered-name-taken', 'in one process, a client that comes back recovered after someone else took its nickname is told so in a notice and disconnected', async (app) => {
  const lesson = 'Take a nickname in one step';
  const proxy = await app.proxy();
  const kim = await joinThrough(app, proxy, 'kim-T');
  const lee = await join(app, oneProcessTarget(app), 'lee-T', 'Start the primary, or a chat server');
  // A message with an offset: the client needs one to ask for its connection back.
  const before = 'lee, before the drop 1216';
  await send(lee, before, 'your server', 'Start the primary, or a chat server');
  await kim.received.waitUntil((received) => timesGot(received, before) > 0);
  proxy.goOffline();
  await lee.received.waitUntil((received) => {
    const list = lastOnline(received);
    return Array.isArray(list) && !list.includes('kim-T');
  });
  const taker = await app.tryConnect({ auth: { nickname: 'kim-T' } });
  if (!taker.connected) {
    fail({
      expected: 'a newcomer to join as "kim-T" while kim-T is away: her name went back when her connection closed',
      actual: `it was refused: "${taker.error}"${afterError(app.log)}. Give the name back when the connection closes, socket.conn.once('close', release) in holdNickname() (TODO 11)`,
      lesson,
    });
  }
  const backFrom = kim.received.events.length;
  const changes = new ConditionWaiters();
  let cameBack = false;
  let refusedBack = false;
  let disconnectReason = '';
  kim.socket.on('connect', () => {
    cameBack = true;
    changes.wake();
  });
  // Refused by the server, not an attempt cut while the network was down, whose error can come
  // after goOnline(): the client tries again, and that try is the one that counts.
  kim.socket.on('connect_error', (error) => {
    if (!isRefusal(error)) return;
    refusedBack = true;
    changes.wake();
  });
  kim.socket.on('disconnect', (reason) => {
    if (cameBack) disconnectReason = reason;
    changes.wake();
  });
  proxy.goOnline();
  if (!(await changes.waitUntil(() => cameBack || refusedBack, 5000))) {
    await expectServerAlive(app, { after: 'kim-T, whose nickname someone took while she was away, came back with her connection recovered', lesson });
    fail({ expected: 'kim-T to come back once the network was back, or to be told why not', actual: `neither came within 5 s${afterError(app.log)}`, lesson });
  }
  // Refused, or not recovered (one-process-recovery says why): the middleware judged her as anyone else.
  if (!cameBack || kim.socket.recovered !== true) return;
  // Told her alone: the notices lee-T got too ("kim-T joined", replayed to kim-T) say nothing of it.
  const noticed = () => {
    const toEveryone = new Set(lee.received.named('notice').map(([text]) => text));
    return kim.received.events.slice(backFrom).some((event) => event.name === 'notice' && typeof event.args[0] === 'string' && event.args[0].trim() !== '' && !toEveryone.has(event.args[0]));
  };
  if (!(await changes.waitUntil(() => !kim.socket.connected, 5000))) {
    const third = await app.tryConnect({ auth: { nickname: 'KIM-T' } });
    if (third.connected) {
      third.socket.close();
      fail({
        expected: 'kim-T, back with her connection recovered while a newcomer holds "kim-T", to be told so and disconnected',
        actual: `she was still connected 5 s later, and a third client got in as "KIM-T" too: nobody holds the name. Take it in one step in the middleware, const release = await nicknames.claim(nickname), and give it back when the connection closes (TODO 11)`,
        lesson,
      });
    }
    fail({
      expected: 'kim-T, back with her connection recovered while a newcomer holds "kim-T", to be told so and disconnected',
      actual: `she was still connected 5 s later${noticesSince(kim, backFrom)}: two clients now have one nickname. When socket.recovered, take the name again, and if holdNickname() finds it held, socket.emit('notice', …) and socket.disconnect(true) (TODO 11)`,
      lesson,
    });
  }
  if (disconnectReason !== 'io server disconnect') {
    fail({ expected: 'kim-T to be disconnected by your server', actual: `her connection was lost ("${disconnectReason}")${afterError(app.log)}`, lesson });
  }
  if (!noticed()) {
    fail({
      expected: 'kim-T, whose nickname someone took while she was away, to get a notice saying so before she is disconnected',
      actual: `she was disconnected with no notice that says why${noticesSince(kim, backFrom)}: socket.emit('notice', \`Someone took \${nickname} while you were away…\`) first (TODO 11)`,
      lesson,
    });
  }
});
