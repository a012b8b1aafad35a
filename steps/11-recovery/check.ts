// The checks of step 11, run by `npm run check 11` against the learner's running server. They
// break the network for real (a proxy that cuts connections) and crash the server (SIGKILL, then
// index.ts again, on the same database file): what was said meanwhile must reach everyone, once.
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { accepted, answerWithinMs, askServer, check, expectServerAlive, fail, joinOrFail, json, keepTypingUntil, letTimePass, noAnswerTo, retryAtOnce, type ChatPage, type CuttableProxy, type LearnerApp, type ReceivedEvents } from '../../checker/checks/check.ts';
import type { ChatMessage, ClientToServerEvents, ServerToClientEvents } from './events.ts';

type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A client that behaves as the page does: it keeps the highest offset it got and sends it, with its rooms, in every handshake. */
interface Client {
  nickname: string;
  socket: ChatSocket;
  received: ReceivedEvents;
  /** The highest `offset` of the messages received so far. */
  lastOffset(): number;
}

interface JoinOptions {
  /** The rooms the client says it is in (the page's `joined`); #general always. */
  rooms?: string[];
  /** Connect through this proxy, and reconnect by itself, quickly, after a drop. */
  via?: CuttableProxy;
  /** The offset of the last message it got before, as a page that was open already would say. */
  serverOffset?: number;
}

const quote = (texts: string[]) => texts.map((text) => `"${text}"`).join(', ');

/** Every 'chat message' a client received, in order (a payload that is not an object included, as undefined fields). */
function chatMessages(received: ReceivedEvents): Partial<ChatMessage>[] {
  return received.named('chat message').map(([payload]) => (typeof payload === 'object' && payload !== null ? (payload as Partial<ChatMessage>) : {}));
}
const textsOf = (received: ReceivedEvents) => chatMessages(received).map((message) => String(message.text));
const timesGot = (received: ReceivedEvents, text: string) => textsOf(received).filter((got) => got === text).length;
const gotAll = (texts: string[]) => (received: ReceivedEvents) => texts.every((text) => timesGot(received, text) > 0);

async function join(app: LearnerApp, nickname: string, { rooms = ['general'], via, serverOffset = 0 }: JoinOptions = {}): Promise<Client> {
  let lastOffset = serverOffset;
  const { socket, received } = await joinOrFail<ServerToClientEvents, ClientToServerEvents>(
    app,
    {
      via,
      client: {
        // A function, as in the page: called again for each handshake, so a reconnection says where it got to.
        auth: (send) => send({ nickname, rooms, serverOffset: lastOffset }),
        ...(via && { reconnection: true, reconnectionDelay: 20, reconnectionDelayMax: 50, randomizationFactor: 0 }),
      },
    },
    { who: `a client with the nickname "${nickname}"`, lesson: 'Send the history on connection' },
  );
  socket.on('chat message', (message) => {
    if (typeof message?.offset === 'number') lastOffset = Math.max(lastOffset, message.offset);
  });
  // What came with the connection, before the listener above was added.
  for (const { offset } of chatMessages(received)) if (typeof offset === 'number') lastOffset = Math.max(lastOffset, offset);
  return { nickname, socket, received, lastOffset: () => lastOffset };
}

/** Fails the check, with the error that stopped it, if the server no longer lets anyone in. */
function expectAlive(app: LearnerApp, after: string, lesson: string): Promise<void> {
  return expectServerAlive(app, { after, lesson, auth: { nickname: `newcomer-${Date.now() % 100000}`, rooms: ['general'], serverOffset: 0 } });
}

/** The server's answer to a message, or undefined if none comes in time. */
const ask = (client: Client, message: { id: string; room: string; text: string }): Promise<unknown> => askServer(client.socket, 'chat message', message);

/** Sends a message that must be accepted, as a page sends it (a new id); returns its id. */
async function say(app: LearnerApp, client: Client, room: string, text: string): Promise<string> {
  const lesson = 'Store every message';
  const id = randomUUID();
  const answer = await ask(client, { id, room, text });
  if (answer === undefined) {
    await expectAlive(app, `${client.nickname} sent a message`, lesson);
    fail({ expected: `the server to answer a message to #${room} through the acknowledgement`, actual: noAnswerTo('chat message'), lesson });
  }
  if (!accepted(answer)) {
    fail({ expected: `a message to #${room} from ${client.nickname} to be answered { ok: true }`, actual: `it was answered ${json(answer)}`, lesson });
  }
  return id;
}

/**
 * Says `text` from `from` and waits until `to` has it. Whatever the server sent `to` before (a
 * history replayed at connection, a copy) has arrived by then, so counting it is fair.
 */
async function marker(app: LearnerApp, from: Client, to: Client, text: string, lesson: string): Promise<void> {
  await say(app, from, 'general', text);
  if (!(await to.received.waitUntil(gotAll([text]), answerWithinMs))) {
    fail({ expected: `${to.nickname} to get "${text}" from ${from.nickname}`, actual: `${to.nickname} got ${json(textsOf(to.received))}`, lesson });
  }
}

async function joinRoom(client: Client, room: string): Promise<void> {
  const answer = await askServer(client.socket, 'join room', room);
  if (!accepted(answer)) {
    fail({ expected: `"join room" with "${room}" to be answered { ok: true }, as in step 09`, actual: `it was answered ${json(answer ?? null)}`, lesson: 'Send the history on connection' });
  }
}

/** Resolves once the socket is connected (again); false if not within `timeoutMs`. */
function connected(socket: ChatSocket, timeoutMs = 5000): Promise<boolean> {
  if (socket.connected) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(false), timeoutMs);
    const finish = (result: boolean) => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      resolve(result);
    };
    const onConnect = () => finish(true);
    socket.on('connect', onConnect);
  });
}

/** Resolves once the client has noticed that its connection is gone (at most 2 s: a cut is seen at once). */
function disconnected(socket: ChatSocket): Promise<void> {
  if (!socket.connected) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 2000);
    socket.once('disconnect', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Waits (at most 2 s) until `observer` is told that `nickname` left: the server has seen the drop, and kept the session. */
function toldLeft(observer: Client, nickname: string): Promise<boolean> {
  return observer.received.waitUntil((received) => {
    const online = received.named('online').at(-1)?.[0];
    return Array.isArray(online) && !online.includes(nickname);
  });
}

/** Fails unless `client` got each of `texts` exactly once, in this order, after its first `from` events. */
function expectOnceInOrder(client: Client, texts: string[], what: string, lesson: string, from = 0): void {
  const got = chatMessages(client.received).slice(from).map((message) => String(message.text));
  for (const text of texts) {
    const times = got.filter((other) => other === text).length;
    if (times > 1) {
      fail({
        expected: `${client.nickname} to get each message ${what} once`,
        actual: `"${text}" came ${times} times: in the connection listener, send the history only when socket.recovered is false (a recovered socket got what it missed already), and only the messages after its serverOffset`,
        lesson,
      });
    }
  }
  const order = got.filter((text) => texts.includes(text));
  if (json(order) !== json(texts)) {
    fail({ expected: `${client.nickname} to get ${quote(texts)} in this order, the order they were said`, actual: `they came as ${quote(order)}: read the history oldest first, ORDER BY offset`, lesson });
  }
}

/** The checks that restart the server, in the order they run. */
const restartingChecks = ['after-restart', 'resent-after-restart', 'page-catch-up'];

/**
 * Crashes and restarts the server (app.restart()); then, when a later check of this judgement
 * restarts it too, has its next process started already, loading its libraries meanwhile
 * (app.prepareRestart()). The first check of a judgement prepares the first restart; a check that
 * restarts prepares its own as it begins, in case nothing did (it runs alone), else that is done.
 */
async function restartServer(app: LearnerApp, checkId: string): Promise<void> {
  await app.restart();
  const later = restartingChecks.slice(restartingChecks.indexOf(checkId) + 1);
  if (later.some((id) => app.runs(id))) await app.prepareRestart();
}

check('offsets', 'every message passed on carries its offset in the history, and a later message a higher one', async (app) => {
  if (restartingChecks.some((id) => app.runs(id))) await app.prepareRestart();
  const lesson = 'Store every message';
  const amy = await join(app, 'amy-O');
  const ben = await join(app, 'ben-O');
  const texts = ['amy is first 1', 'amy again 2'];
  for (const text of texts) await say(app, amy, 'general', text);
  if (!(await ben.received.waitUntil(gotAll(texts)))) {
    fail({ expected: `ben-O, in #general, to get ${quote(texts)} from amy-O`, actual: `he got ${json(textsOf(ben.received))}: after saving it, pass the message on to the room, socket.to(room).emit('chat message', stored)`, lesson });
  }
  const [first, second] = texts.map((text) => chatMessages(ben.received).find((message) => message.text === text)!);
  const offsets = [first!.offset, second!.offset];
  if (!offsets.every((offset) => Number.isSafeInteger(offset) && offset! > 0)) {
    fail({
      expected: 'each message passed on to carry its offset, the number the database gave it (1, 2, 3…)',
      actual: `ben-O got ${json(first)}: in history.ts, save() inserts the message and returns it with offset: Number(lastInsertRowid); in index.ts, pass on what save() returned`,
      lesson,
    });
  }
  if (!(offsets[1]! > offsets[0]!)) {
    fail({ expected: 'a later message to have a higher offset', actual: `"${texts[0]}" has ${offsets[0]} and "${texts[1]}" ${offsets[1]}: let the database number them, offset INTEGER PRIMARY KEY AUTOINCREMENT`, lesson });
  }
});

/** How many messages a newcomer gets at most, and how many the check says in #general to see it: a multiple of 5, the rate limit. */
const maxReplayed = 100;
const historyBatch = 105;

check('history', 'a newcomer gets the latest messages said before it came, at most 100, of its rooms only, oldest first, once each, and nobody else gets them again', async (app) => {
  const lesson = 'Send the history on connection';
  const dot = await join(app, 'dot-H');
  const texts = ['dot says hello 3', 'dot asks a question 4', 'dot answers herself 5'];
  for (const text of texts) await say(app, dot, 'general', text);
  await joinRoom(dot, 'random');
  const elsewhere = 'dot in #random 6';
  await say(app, dot, 'random', elsewhere);
  // A page just opened: it is in #general only, and has seen nothing yet.
  const eli = await join(app, 'eli-H');
  if (!(await eli.received.waitUntil(gotAll(texts)))) {
    const got = textsOf(eli.received);
    fail({
      expected: `eli-H, who joined #general after dot-H said ${quote(texts)}, to get them on connection`,
      actual: got.length === 0
        ? 'he got no message: in the connection listener, when socket.recovered is false, emit each message of messagesSince(serverOffset, rooms) to him'
        : `he got ${json(got)}: messagesSince(0, ['general']) should return the latest messages of #general`,
      lesson,
    });
  }
  await marker(app, dot, eli, 'dot welcomes eli 5b', lesson);
  expectOnceInOrder(eli, texts, 'said before he came', lesson);
  if (timesGot(eli.received, elsewhere) > 0) {
    fail({ expected: 'eli-H, in #general only, not to get what was said in #random', actual: `he got "${elsewhere}": read the history of the socket's rooms only, room IN (…)`, lesson: 'Read what a client missed' });
  }
  const toOthers = texts.filter((text) => timesGot(dot.received, text) > 0);
  if (toOthers.length > 0) {
    fail({
      expected: 'the history to go to eli-H alone, who just came',
      actual: `dot-H, who was there already, got ${quote(toOthers)} again when eli-H came: send it with socket.emit('chat message', message), to this socket only`,
      lesson,
    });
  }

  // A serverOffset that is not a whole number above 0 counts as 0: the client gets the latest messages.
  for (const [nickname, serverOffset] of [['fig-H', 'soon'], ['gus-H', { after: 3 }], ['hoa-H', -1]] as const) {
    const attempt = await app.tryConnect<ServerToClientEvents, ClientToServerEvents>({ auth: { nickname, rooms: ['general'], serverOffset } });
    await expectAlive(app, `a client sent serverOffset: ${json(serverOffset)} in its handshake`, lesson);
    if (!attempt.connected) {
      fail({ expected: `a client with serverOffset: ${json(serverOffset)} in its handshake to be let in`, actual: `it was refused with "${attempt.error}"`, lesson });
    }
    if (!(await attempt.received.waitUntil(gotAll(texts), answerWithinMs))) {
      fail({
        expected: `a client whose handshake says serverOffset: ${json(serverOffset)}, not a whole number above 0, to get the latest messages, as with 0, ${quote(texts)} among them`,
        actual: `it got ${json(textsOf(attempt.received))}: anything in auth comes from the client, so count anything that is not a whole number above 0 as 0, Number.isSafeInteger(lastOffset) && lastOffset > 0 ? lastOffset : 0`,
        lesson,
      });
    }
  }

  // More messages than a client gets at once, all said after the others: a newcomer gets the latest 100, not the oldest.
  const batch = Array.from({ length: historyBatch }, (_, index) => `said later, number ${String(index + 1).padStart(3, '0')}`);
  const senders = await Promise.all(Array.from({ length: historyBatch / 5 }, (_, index) => join(app, `h${index}-H`)));
  // Five each, the rate limit's 5 messages in 3 s; in order, one sender after the other.
  for (const [index, sender] of senders.entries()) {
    for (const text of batch.slice(index * 5, index * 5 + 5)) await say(app, sender, 'general', text);
  }
  const kai = await join(app, 'kai-H');
  await marker(app, eli, kai, 'eli welcomes kai 5c', lesson);
  const replayed = batch.filter((text) => timesGot(kai.received, text) > 0);
  const latest = batch.slice(-maxReplayed);
  if (latest.some((text) => !replayed.includes(text))) {
    const missing = latest.filter((text) => !replayed.includes(text));
    fail({
      expected: `kai-H, who came after ${historyBatch} messages were said in #general, to get the latest ${maxReplayed}, "${latest[0]}" to "${latest.at(-1)}"`,
      actual: `he got ${replayed.length} of them${replayed.length > 0 ? `, "${replayed[0]}" to "${replayed.at(-1)}"` : ''}, but not ${missing.length === 1 ? `"${missing[0]}"` : `${missing.length}, "${missing.at(-1)}" among them`}: take the latest 100 (ORDER BY offset DESC LIMIT 100), then turn them back oldest first, SELECT * FROM (…) ORDER BY offset`,
      lesson: 'Read what a client missed',
    });
  }
  if (replayed.length > maxReplayed) {
    fail({
      expected: `kai-H, who came after ${historyBatch} messages were said in #general, to get the latest ${maxReplayed} only`,
      actual: `he got ${replayed.length}, "${replayed[0]}" among them: a page away for a week gets the last 100 messages, not a week of them, ORDER BY offset DESC LIMIT 100`,
      lesson: 'Read what a client missed',
    });
  }
  expectOnceInOrder(kai, latest, 'of the latest 100', 'Read what a client missed');
});

check('rooms-on-connection', "a client that is not recovered joins its rooms as before: #general even when it names none, its own room for private messages, and no other user's room", async (app) => {
  const lesson = 'Send the history on connection';
  const said = 'ros says hi 6b';
  const ros = await join(app, 'ros-J');
  await say(app, ros, 'general', said);
  // A client of an earlier step: no rooms, no offset in its handshake. It is in #general all the same.
  const bare = await app.tryConnect<ServerToClientEvents, ClientToServerEvents>({ auth: { nickname: 'sal-J' } });
  await expectAlive(app, 'a client connected with no rooms and no serverOffset in its handshake', lesson);
  if (!bare.connected) {
    fail({ expected: 'a client with only a nickname in its handshake, no rooms and no serverOffset, to be let in', actual: `it was refused with "${bare.error}"`, lesson });
  }
  if (!(await bare.received.waitUntil(gotAll([said]), answerWithinMs))) {
    fail({
      expected: `a client that names no rooms in its handshake to be put in #general as before, and get its history, "${said}" among it`,
      actual: `it got ${json(textsOf(bare.received))}: join #general first, socket.join('general'), whatever auth.rooms holds, then the rooms it names, if (Array.isArray(wantedRooms)) socket.join(wantedRooms.filter(isRoom))`,
      lesson,
    });
  }
  // One who names another user's room: private messages to that user must not reach him.
  const tom = await join(app, 'tom-J', { rooms: ['general', 'user:ros-J'] });
  const secret = { id: randomUUID(), to: 'ros-J', text: 'for ros alone 6c' };
  const gotSecret = (received: ReceivedEvents) => received.named('private message').some(([message]) => (message as { text?: unknown } | undefined)?.text === secret.text);
  // Answered once ros confirms, which this client does not: the check does not wait for the answer.
  void askServer(bare.socket, 'private message', secret);
  if (!(await ros.received.waitUntil(gotSecret, answerWithinMs))) {
    fail({
      expected: 'ros-J to get the private message sal-J sent her',
      actual: `she got ${ros.received.describe()}: a connection that is not recovered joins its own room too, as before, socket.join(userRoom(nickname))`,
      lesson,
    });
  }
  await marker(app, ros, tom, 'ros to everyone 6d', lesson);
  if (gotSecret(tom.received)) {
    fail({
      expected: 'tom-J, who named "user:ros-J" among his rooms, not to get the private messages of ros-J',
      actual: `he got "${secret.text}": join only the chat's rooms that a client names, wantedRooms.filter(isRoom)`,
      lesson,
    });
  }
});

/** How long fay-R's drop lasts in the check 'recovery'. */
const dropMs = 1000;

check('recovery', 'after a short drop, the client gets its connection back (socket.recovered) and exactly what it missed, once, in order', async (app) => {
  const lesson = 'Turn on connection state recovery';
  const proxy = await app.proxy();
  const fay = await join(app, 'fay-R', { via: proxy });
  const gil = await join(app, 'gil-R');
  const before = 'said before the drop 7';
  await say(app, gil, 'general', before);
  if (!(await fay.received.waitUntil(gotAll([before])))) {
    fail({ expected: `fay-R to get "${before}" from gil-R`, actual: `she got ${json(textsOf(fay.received))}`, lesson: 'Store every message' });
  }
  const id = fay.socket.id;
  const logBefore = app.log.mark();
  proxy.goOffline();
  const wentAway = performance.now();
  await disconnected(fay.socket);
  await toldLeft(gil, fay.nickname);
  const missed = ['said while fay was away 8', 'and this too 9'];
  for (const text of missed) await say(app, gil, 'general', text);
  // The drop itself is what is checked: it lasts a second, as short as a drop a person notices (the
  // lesson's "Run it"), not the few milliseconds the lines above take. A server that keeps a
  // dropped session for less would lose it. The second is the server's: its clock is moved on.
  await letTimePass(app.serverClock, dropMs - (performance.now() - wentAway));
  proxy.goOnline();
  if (!(await connected(fay.socket))) {
    fail({ expected: 'fay-R to connect again once the network was back', actual: 'she could not within 5 s', lesson });
  }
  if (fay.socket.recovered !== true) {
    fail({
      expected: 'fay-R, back after a drop of a second, to get her connection back: socket.recovered true, the same socket.id',
      actual: `she came back as a new connection (socket.id ${json(fay.socket.id)} instead of ${json(id)}): turn on connection state recovery, new Server(server, { connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: true } })`,
      lesson,
    });
  }
  if (!(await fay.received.waitUntil(gotAll(missed)))) {
    fail({ expected: `fay-R to get what gil-R said while she was away, ${quote(missed)}`, actual: `she got ${json(textsOf(fay.received))}`, lesson });
  }
  await marker(app, gil, fay, 'gil welcomes fay back 9b', lesson);
  expectOnceInOrder(fay, [before, ...missed], 'said before and during the drop', lesson);
  // What the lesson says to watch for in the terminal: "fay-R reconnected".
  if (!(await app.log.waitFor(/fay-R.*reconnect|reconnect.*fay-R/i, { from: logBefore }))) {
    fail({
      expected: 'the server to log that fay-R reconnected, when her connection came back',
      actual: `since the drop it printed ${json(app.log.lines.slice(logBefore).map((line) => line.text))}: when socket.recovered is true, console.log(\`\${nickname} reconnected\`)`,
      lesson,
    });
  }
});

/** Who a relayed "typing" names: its payload is a nickname, or an object { nickname }. */
function typerOf([payload]: unknown[]): unknown {
  return typeof payload === 'object' && payload !== null ? (payload as { nickname?: unknown }).nickname : payload;
}

check('recovery-after-typing', 'a client that was told someone is typing just before a drop still gets its connection back (socket.recovered)', async (app) => {
  const lesson = 'Keep typing out of the offsets';
  const proxy = await app.proxy();
  const hal = await join(app, 'hal-T', { via: proxy });
  const gil = await join(app, 'gil-T');
  const before = 'said before gil typed 22a';
  await say(app, gil, 'general', before);
  if (!(await hal.received.waitUntil(gotAll([before])))) {
    fail({ expected: `hal-T to get "${before}" from gil-T`, actual: `he got ${json(textsOf(hal.received))}`, lesson: 'Store every message' });
  }
  // As a page does while keys are pressed, until the last thing hal got is gil's 'typing': a
  // dropped one would leave nothing to test, nor would one followed by a broadcast that carries an
  // offset (a list of who is online, say), and the wrong way would pass.
  const typedAt = hal.received.events.length;
  const typingIsLast = (received: ReceivedEvents) => {
    const last = received.events.at(-1);
    return received.events.length > typedAt && last?.name === 'typing' && typerOf(last.args) === 'gil-T';
  };
  await keepTypingUntil(gil.socket, () => hal.received.waitUntil(typingIsLast, 2000));
  const lastBeforeDrop = hal.received.events.at(-1);
  proxy.goOffline();
  await disconnected(hal.socket);
  await toldLeft(gil, hal.nickname);
  const missed = 'said while hal was away 22b';
  await say(app, gil, 'general', missed);
  proxy.goOnline();
  if (!(await connected(hal.socket))) {
    fail({ expected: 'hal-T to connect again once the network was back', actual: 'he could not within 5 s', lesson: 'Turn on connection state recovery' });
  }
  if (hal.socket.recovered !== true) {
    const lastArgument = lastBeforeDrop?.args.at(-1);
    if (lastBeforeDrop?.name === 'typing' && typeof lastArgument === 'string') {
      fail({
        expected: 'hal-T, back within a second, to get his connection back (socket.recovered true), though gil-T was typing just before the drop',
        actual: `he came back as a new connection. The last event before the drop was "typing" with ${json(lastArgument)} as its last argument: Socket.IO's client takes the last argument of any event, when it is a string, for its recovery offset, and a volatile event carries no offset, so hal-T asked to resume after ${json(lastArgument)}, an offset the server never gave. Send an object, socket.broadcast.volatile.emit('typing', { nickname }), and read it in the page with socket.on('typing', ({ nickname }) => …)`,
        lesson,
      });
    }
    fail({
      expected: 'hal-T, back within a second, to get his connection back: socket.recovered true',
      actual: `he came back as a new connection (the last event before the drop was ${lastBeforeDrop ? `"${lastBeforeDrop.name}" with ${json(lastBeforeDrop.args)}` : 'none'}): turn on connection state recovery, and send no volatile event whose last argument is a string`,
      lesson,
    });
  }
  if (!(await hal.received.waitUntil(gotAll([missed])))) {
    fail({ expected: `hal-T to get "${missed}", said while he was away`, actual: `he got ${json(textsOf(hal.received))}`, lesson: 'Turn on connection state recovery' });
  }
});

check('after-restart', 'after a server restart, a client that was away gets what it missed from the history: nothing it had, nothing twice, its rooms too', async (app) => {
  await app.prepareRestart();
  const lesson = 'Send the history on connection';
  const proxy = await app.proxy();
  const ida = await join(app, 'ida-S', { via: proxy, rooms: ['general', 'random'] });
  const jay = await join(app, 'jay-S');
  await joinRoom(jay, 'random');
  const had = ['jay before the crash 10', 'jay in #random before the crash 11'];
  await say(app, jay, 'general', had[0]!);
  await say(app, jay, 'random', had[1]!);
  if (!(await ida.received.waitUntil(gotAll(had)))) {
    fail({ expected: `ida-S, in #general and #random, to get ${quote(had)}`, actual: `she got ${json(textsOf(ida.received))}`, lesson: 'Store every message' });
  }
  proxy.goOffline();
  await disconnected(ida.socket);
  const beforeCrash = 'said while ida was away 12';
  await say(app, jay, 'general', beforeCrash);
  await restartServer(app, 'after-restart');
  // Someone new after the restart, who has seen nothing: the history must still hold what came before.
  const logBefore = app.log.mark();
  const kit = await join(app, 'kit-S', { rooms: ['general', 'random'] });
  // What the lesson says to watch for in the terminal: a new connection, "kit-S connected".
  if (!(await app.log.waitFor(/kit-S.*connect/i, { from: logBefore }))) {
    fail({
      expected: 'the server to log that kit-S connected, a new connection after the restart',
      actual: `it printed ${json(app.log.lines.slice(logBefore).map((line) => line.text))}: when socket.recovered is false, console.log(\`\${nickname} connected\`), as before`,
      lesson,
    });
  }
  if (!(await kit.received.waitUntil(gotAll([had[0]!, beforeCrash])))) {
    fail({
      expected: `kit-S, who came after the server restarted, to get what was said before it, ${quote([had[0]!, beforeCrash])}`,
      actual: `he got ${json(textsOf(kit.received))}: the history must outlive the server, so keep it in the database file (process.env.CHAT_DB, or chat.db), not in memory`,
      lesson: 'Open the database',
    });
  }
  const afterCrash = ['kit in #random after the restart 13', 'kit in #general after the restart 14'];
  await say(app, kit, 'random', afterCrash[0]!);
  await say(app, kit, 'general', afterCrash[1]!);
  const missed = [beforeCrash, ...afterCrash];
  const from = chatMessages(ida.received).length;
  proxy.goOnline();
  if (!(await connected(ida.socket))) {
    fail({ expected: 'ida-S to connect again to the restarted server', actual: 'she could not within 5 s', lesson });
  }
  await ida.received.waitUntil(gotAll(missed));
  await marker(app, kit, ida, 'kit welcomes ida back 14b', lesson);
  const again = had.filter((text) => timesGot(ida.received, text) > 1);
  if (again.length > 0) {
    fail({
      expected: 'ida-S not to get again what she had before the restart',
      actual: `she got ${quote(again)} again: she said serverOffset ${ida.lastOffset()} in the handshake, so send only the messages after it, messagesSince(serverOffset, rooms)`,
      lesson,
    });
  }
  const lost = missed.filter((text) => timesGot(ida.received, text) === 0);
  if (lost.length > 0) {
    const random = lost.includes(afterCrash[0]!) && lost.length === 1;
    fail({
      expected: `ida-S, back after the restart, to get what was said while she was away, ${quote(missed)}`,
      actual: random
        ? `she got all but "${afterCrash[0]}", said in #random: join the rooms of socket.handshake.auth.rooms before you read the history of socket.rooms`
        : `she did not get ${quote(lost)}: she was not recovered (the server forgot her), so the history must send her everything after her serverOffset, ${ida.lastOffset()}`,
      lesson,
    });
  }
  expectOnceInOrder(ida, missed, 'said while she was away', lesson, from);
});

check('resent-after-restart', 'a message sent again after a restart is answered { ok: true } and not passed on again', async (app) => {
  await app.prepareRestart();
  const lesson = 'Store every message';
  const lea = await join(app, 'lea-U');
  const max = await join(app, 'max-U');
  const text = 'lea says this once 15';
  const id = await say(app, lea, 'general', text);
  if (!(await max.received.waitUntil(gotAll([text])))) {
    fail({ expected: `max-U to get "${text}" from lea-U`, actual: `he got ${json(textsOf(max.received))}`, lesson });
  }
  await restartServer(app, 'resent-after-restart');
  // Both come back after the restart, as pages would, saying where they got to: nothing to replay.
  const leaAgain = await join(app, 'lea-U', { serverOffset: max.lastOffset() });
  const maxAgain = await join(app, 'max-U', { serverOffset: max.lastOffset() });
  const from = chatMessages(maxAgain.received).length;
  // Lea's page never got the acknowledgement, so it sends the same message again, with its id.
  const answer = await ask(leaAgain, { id, room: 'general', text });
  if (answer === undefined) {
    await expectAlive(app, 'lea-U sent again a message stored before the restart', lesson);
    fail({ expected: 'the server to answer a message sent again', actual: noAnswerTo('chat message'), lesson });
  }
  if (!accepted(answer)) {
    fail({
      expected: 'a message sent again, with an id stored already, to be answered { ok: true }: the first one did arrive',
      actual: `it was answered ${json(answer)}: when save() returns undefined, answer({ ok: true }) and pass nothing on`,
      lesson,
    });
  }
  const after = 'lea says something new 16';
  await say(app, leaAgain, 'general', after);
  if (!(await maxAgain.received.waitUntil(gotAll([after])))) {
    fail({ expected: `max-U to get "${after}" from lea-U`, actual: `he got ${json(textsOf(maxAgain.received))}`, lesson });
  }
  const passedOn = chatMessages(maxAgain.received).slice(from);
  if (passedOn.some((message) => message?.text === text)) {
    fail({
      expected: `max-U not to get "${text}" again: lea-U sent it again with the same id, after a restart`,
      actual: 'he did: a list of ids in memory is empty after a restart, so let the database refuse it, id TEXT UNIQUE, and save() return undefined when it does',
      lesson,
    });
  }
  const others = passedOn.filter((message) => message?.text !== after);
  if (others.length > 0) {
    fail({
      expected: `max-U to get nothing but "${after}" after lea-U sent an old message again`,
      actual: `he also got ${json(others)}: when save() returns undefined, the message is a copy: answer({ ok: true }) and return, passing nothing on`,
      lesson,
    });
  }
});

/** The page's text of what is shown in #messages, to quote in a failure. */
const shownMessages = async (page: ChatPage) => json(await page.messages());
const onlineHas = (nickname: string) => `[...document.querySelectorAll('#online li')].some((item) => item.textContent.trim() === ${json(nickname)})`;
/** How many lines of #messages hold `text`. */
const linesWith = (page: ChatPage, text: string) =>
  page.engine.evaluate<number>(`[...document.querySelectorAll('#messages > li')].filter((item) => item.textContent.includes(${json(text)})).length`);
const showsAll = (texts: string[]) => `${json(texts)}.every((text) => [...document.querySelectorAll('#messages > li')].some((item) => item.textContent.includes(text)))`;

/** Opens the page (through `via`, if given) and joins with `nickname` through its form. */
async function joinPage(app: LearnerApp, nickname: string, others: string[], via?: CuttableProxy): Promise<ChatPage> {
  const page = await app.openPage('/', { via });
  await page.engine.typeAndSubmit('#nick', nickname);
  for (const name of [nickname, ...others]) {
    if (!(await page.engine.waitUntil(onlineHas(name), 3000))) {
      fail({
        expected: `the page to join as "${nickname}" and list who is online in #online, "${name}" included`,
        actual: page.engine.errors[0] ? `the page failed with "${page.engine.errors[0]}"` : `#online shows ${json(await page.texts('#online li'))}`,
        lesson: 'Remember the last offset in the page',
      });
    }
  }
  return page;
}

/**
 * Makes the page's client retry at once after a drop (its own delay is 0.5 to 1.5 s, longer
 * after each failed try), and records the ids of the messages it receives. Both need the page's
 * global `socket`; without it, the checks wait longer and skip what needs the record.
 */
async function watchPageSocket(page: ChatPage): Promise<boolean> {
  await retryAtOnce(page);
  return page.engine.evaluate(`(() => {
    if (typeof socket !== 'object' || !socket?.io) return false;
    window.receivedIds = [];
    socket.on('chat message', (message) => window.receivedIds.push(message?.id));
    return true;
  })()`);
}

/** Fails unless each of `texts` is on exactly one line of #messages. */
async function expectShownOnce(page: ChatPage, texts: string[], when: string, lesson: string): Promise<void> {
  for (const text of texts) {
    const lines = await linesWith(page, text);
    if (lines !== 1) {
      fail({
        expected: `the page to show "${text}" once ${when}`,
        actual: `#messages shows it ${lines} times (${await shownMessages(page)}): add every id you show to shownIds, your own messages' too, and skip a message whose id is there already`,
        lesson,
      });
    }
  }
}

check('page-catch-up', 'the page shows what it missed during a drop and a restart, once; it asks only for what it has not seen; a page just opened shows the history', async (app) => {
  await app.prepareRestart();
  const lesson = 'Remember the last offset in the page';
  const proxy = await app.proxy();
  const ned = await join(app, 'ned-P');
  const page = await joinPage(app, 'ola-P', [ned.nickname], proxy);
  const watched = await watchPageSocket(page);

  const first = 'ned before the drop 17';
  await say(app, ned, 'general', first);
  if (!(await page.engine.waitUntil(showsAll([first]), 2000))) {
    fail({ expected: `the page to show "${first}", which ned-P said in #general`, actual: `#messages shows ${await shownMessages(page)}`, lesson });
  }
  const own = 'ola writes this once 18';
  await page.send(own);
  if (!(await ned.received.waitUntil(gotAll([own]), 3000))) {
    fail({ expected: `ned-P to get "${own}", typed in the page`, actual: page.engine.errors[0] ? `the page failed with "${page.engine.errors[0]}"` : `he got ${json(textsOf(ned.received))}`, lesson });
  }

  // A short drop: the connection is recovered, and what ned says meanwhile comes with it.
  proxy.goOffline();
  await toldLeft(ned, 'ola-P');
  const duringDrop = ['ned while ola was away 19', 'ned still talking 20'];
  for (const text of duringDrop) await say(app, ned, 'general', text);
  proxy.goOnline();
  if (!(await page.engine.waitUntil(showsAll(duringDrop), watched ? 5000 : 8000))) {
    fail({ expected: `the page, back after a short drop, to show what was said meanwhile, ${quote(duringDrop)}`, actual: `#messages shows ${await shownMessages(page)}`, lesson });
  }
  await expectShownOnce(page, [first, own, ...duringDrop], 'after a short drop', lesson);
  const ownAfterDrop = 'ola is back 21';
  await page.send(ownAfterDrop);
  if (!(await ned.received.waitUntil(gotAll([ownAfterDrop]), 3000))) {
    fail({ expected: `ned-P to get "${ownAfterDrop}", typed in the page after the drop`, actual: `he got ${json(textsOf(ned.received))}`, lesson });
  }

  // The page joins #random too: after a restart, what was said there must come back as well.
  await joinRoom(ned, 'random');
  const beforeJoin = ned.received.events.length;
  const framesBeforeJoin = page.engine.framesReceived?.length ?? 0;
  const framesSentBeforeJoin = page.engine.framesSent?.length ?? 0;
  const clicked = await page.engine.evaluate<boolean>(`(() => {
    const button = [...document.querySelectorAll('#rooms button')].find((element) => element.textContent.trim() === '#random');
    button?.click();
    return !!button;
  })()`);
  const joinedRandom = (received: ReceivedEvents) => received.events.slice(beforeJoin).some(({ name, args }) => name === 'notice' && String(args[0]).includes('ola-P') && String(args[0]).includes('random'));
  if (!clicked || !(await ned.received.waitUntil(joinedRandom, 3000))) {
    fail({ expected: 'a click on the button "#random" in #rooms to join #random, as in step 09', actual: clicked ? `ned-P, in #random, got ${ned.received.describe({ from: beforeJoin })}` : 'there is no such button', lesson });
  }
  // The page learns that it is in #random from the server's answer, which may still be on its way
  // when ned-P has the notice: where the page asked for one (its 'join room' frame carries an ack
  // id, "42<id>[…"), the connection is cut only once that answer ("43<id>[…") has reached it, which
  // takes longer on a busy machine. A page that keeps its rooms otherwise waits for nothing.
  const joinAsk = page.engine.framesSent?.slice(framesSentBeforeJoin).map((frame) => /^42(\d+)\["join room"/.exec(frame)?.[1]).find((id) => id !== undefined);
  if (joinAsk !== undefined) await page.engine.waitForFrame?.(new RegExp(`^43${joinAsk}\\[`), framesBeforeJoin, answerWithinMs);

  // A restart: the server forgot the page's connection; the history has what it missed.
  const receivedBefore = watched ? await page.engine.evaluate<string[]>('window.receivedIds.slice()') : [];
  proxy.goOffline();
  await restartServer(app, 'page-catch-up');
  const nedAgain = await join(app, 'ned-P', { serverOffset: ned.lastOffset(), rooms: ['general', 'random'] });
  const afterRestart = 'ned after the restart 22';
  await say(app, nedAgain, 'general', afterRestart);
  const inRandom = 'ned in #random after the restart 22b';
  await say(app, nedAgain, 'random', inRandom);
  proxy.goOnline();
  if (!(await page.engine.waitUntil(showsAll([afterRestart]), watched ? 5000 : 10_000))) {
    fail({
      expected: `the page, back after the server restarted, to show "${afterRestart}", said while it was away`,
      actual: `#messages shows ${await shownMessages(page)}: the page must send serverOffset: lastOffset in its handshake auth, and the server send what came after it`,
      lesson,
    });
  }
  if (!(await page.engine.waitUntil(showsAll([inRandom]), 2000))) {
    fail({
      expected: `the page, back after the server restarted, to show "${inRandom}", said in #random, one of its rooms, while it was away`,
      actual: `#messages shows ${await shownMessages(page)}: the server replays the history of the rooms a connection is in when it arrives, so the page must name them all in its handshake, socket.auth = (send) => send({ nickname, rooms: [...joined], serverOffset: lastOffset })`,
      lesson,
    });
  }
  await expectShownOnce(page, [first, own, ...duringDrop, ownAfterDrop, afterRestart], 'after the server restarted', lesson);
  if (watched) {
    const receivedAgain = (await page.engine.evaluate<string[]>('window.receivedIds.slice()')).slice(receivedBefore.length).filter((id) => receivedBefore.includes(id));
    if (receivedAgain.length > 0) {
      fail({
        expected: 'the page, back after a restart, to get only the messages it had not received',
        actual: `the server sent it ${receivedAgain.length} ${receivedAgain.length === 1 ? 'message' : 'messages'} again that it had received already: keep the highest offset received in lastOffset, in the 'chat message' listener, and send it in the handshake, socket.auth = (send) => send({ nickname, rooms: [...joined], serverOffset: lastOffset })`,
        lesson,
      });
    }
  }

  // A page opened now, as after a reload, has seen nothing: it gets the latest history.
  const fresh = await joinPage(app, 'pia-P', [nedAgain.nickname]);
  const history = [first, own, ...duringDrop, ownAfterDrop, afterRestart];
  if (!(await fresh.engine.waitUntil(showsAll(history), 2000))) {
    fail({ expected: `a page just opened to show the latest messages of #general, ${quote(history)} among them`, actual: `#messages shows ${await shownMessages(fresh)}`, lesson: 'Send the history on connection' });
  }
  const shown = (await fresh.messages()).map((line) => history.find((text) => line.includes(text))).filter((text) => text !== undefined);
  if (json(shown) !== json(history)) {
    fail({ expected: `a page just opened to show the history oldest first, ${quote(history)}`, actual: `it shows them as ${quote(shown)}`, lesson: 'Read what a client missed' });
  }
});
