// The checks of step 10, run by `npm run check 10` against the learner's running server. Most go
// through a proxy that breaks the connection on purpose: a message lost on its way in, an answer
// lost on its way back, a network gone for a while.
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { accepted, answerWithinMs, askServerWithin, check, expectServerAlive, fail, joinOrFail, json, keepTypingUntil, refused, retryAtOnce, seconds, unheardOr, waitThroughTime, type ChatPage, type ConnectOptions, type CuttableProxy, type LearnerApp, type ReceivedEvents } from '../../checker/checks/check.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './events.ts';

type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Client {
  nickname: string;
  socket: ChatSocket;
  received: ReceivedEvents;
}
type Payload = { id?: unknown; room?: unknown; author?: unknown; from?: unknown; text?: unknown } | undefined;

const payloads = (received: ReceivedEvents, event: string) => received.named(event).map((args) => args[0] as Payload);
/** The 'chat message' or 'private message' payloads (as `event` says) that carry `text`. */
const withText = (received: ReceivedEvents, event: string, text: string) => payloads(received, event).filter((payload) => payload?.text === text);
const got = (received: ReceivedEvents, event: string, text: string) => withText(received, event, text).length > 0;

interface JoinOptions {
  /** More handshake `auth` than the nickname (step 10's rooms). */
  auth?: Record<string, unknown>;
  via?: ConnectOptions['via'];
  client?: ConnectOptions['client'];
  /** Confirm every private message at once, as the page does; false to hold the confirmation. */
  confirm?: boolean;
}

/** A client that joins with `nickname`; fails the check if the server does not let it in. */
async function join(app: LearnerApp, nickname: string, { auth = {}, via, client, confirm = true }: JoinOptions = {}): Promise<Client> {
  const who = `a client with the nickname "${nickname}"${auth.rooms ? ` and rooms: ${json(auth.rooms)}` : ''}`;
  const joined = await joinOrFail<ServerToClientEvents, ClientToServerEvents>(app, { auth: { nickname, ...auth }, via, client }, { who, lesson: 'Join the rooms named in the handshake' });
  if (confirm) joined.socket.on('private message', (_message, confirmIt) => confirmIt?.({ ok: true }));
  return { nickname, ...joined };
}

/** Fails the check, with the error that stopped it, if the server no longer lets anyone in. */
function expectAlive(app: LearnerApp, after: string, lesson: string): Promise<void> {
  return expectServerAlive(app, { after, lesson, advice: 'never use a value a client sent before you checked it' });
}

/** The server's answer to a request, or undefined if none comes in time. */
const ask = (client: Client, event: keyof ClientToServerEvents, args: unknown[], timeoutMs = answerWithinMs): Promise<unknown> => askServerWithin(timeoutMs, client.socket, event, ...args);

/** Fails the check when a request got no answer: because the server stopped, or because it never answers. */
async function failNoAnswer(app: LearnerApp, event: string, what: string, lesson: string): Promise<never> {
  await expectAlive(app, `a client sent ${what}`, lesson);
  return fail({
    expected: `the server to answer ${what} through the acknowledgement`,
    actual: unheardOr(event, `no answer came: does socket.on('${event}', (…, reply) => …) call reply({ ok: true }) or reply({ ok: false, error: "…" }) every time?`),
    lesson,
  });
}

/** Sends something that must be accepted; fails the check, saying what the server did, if it is not. */
async function expectAccepted(app: LearnerApp, client: Client, event: keyof ClientToServerEvents, payload: unknown, what: string, lesson: string): Promise<void> {
  const answer = await ask(client, event, [payload]);
  if (answer === undefined) await failNoAnswer(app, event, what, lesson);
  if (!accepted(answer)) {
    fail({ expected: `the server to accept ${what} from ${client.nickname}, answering { ok: true }`, actual: `it answered ${json(answer)}`, lesson });
  }
}

const message = (room: string, text: string) => ({ id: randomUUID(), room, text });

const timedOut = Symbol('timed out');
/** What `promise` gives, or `timedOut` if it has not settled after `timeoutMs`. */
function within<T>(promise: Promise<T>, timeoutMs: number): Promise<T | typeof timedOut> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof timedOut>((resolve) => (timer = setTimeout(() => resolve(timedOut), timeoutMs)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Sends a message to #general that `observer` must get: once it is in, anything sent before it would be in too. */
async function marker(app: LearnerApp, sender: Client, observer: Client, text: string): Promise<void> {
  await expectAccepted(app, sender, 'chat message', message('general', text), 'a message to #general', 'Remember the ids the server has seen');
  if (!(await observer.received.waitUntil((r) => got(r, 'chat message', text), answerWithinMs))) {
    fail({
      expected: `${observer.nickname} to receive a message ${sender.nickname} sent to #general`,
      actual: "it never came: the 'chat message' listener should pass each new message on with socket.to(room).emit('chat message', { id, room, author: nickname, text })",
      lesson: 'Remember the ids the server has seen',
    });
  }
}

check('message-ids', 'messages and private messages reach the others with their id; one without an id is refused', async (app) => {
  const ann = await join(app, 'ann-M');
  const ben = await join(app, 'ben-M');
  const lesson = 'Remember the ids the server has seen';
  const sent = message('general', 'a message with its id 1');
  await expectAccepted(app, ann, 'chat message', sent, 'a message to #general with an id', lesson);
  if (!(await ben.received.waitUntil((r) => got(r, 'chat message', sent.text)))) {
    fail({ expected: 'ben-M, in #general, to receive the message ann-M sent to #general', actual: 'he got nothing', lesson });
  }
  const relayed = withText(ben.received, 'chat message', sent.text)[0];
  if (relayed?.id !== sent.id) {
    fail({
      expected: `it to reach ben-M with the id it was sent with, ${json(sent.id)}`,
      actual: `it came as ${json(relayed)}: pass the id on, socket.to(room).emit('chat message', { id, room, author: nickname, text })`,
      lesson,
    });
  }
  const dm = { id: randomUUID(), to: 'ben-M', text: 'a private message with its id 2' };
  await expectAccepted(app, ann, 'private message', dm, 'a private message to ben-M', 'Confirm private messages with the recipient');
  await ben.received.waitUntil((r) => got(r, 'private message', dm.text));
  const dmRelayed = withText(ben.received, 'private message', dm.text)[0];
  if (dmRelayed?.id !== dm.id) {
    fail({
      expected: `ben-M to have the private message ann-M sent him, with its id ${json(dm.id)}`,
      actual: dmRelayed ? `it came as ${json(dmRelayed)}: send { id, from: nickname, text }` : 'he has not got it',
      lesson: 'Confirm private messages with the recipient',
    });
  }
  const withoutIds: [event: keyof ClientToServerEvents, payload: unknown, what: string][] = [
    ['chat message', { room: 'general', text: 'no id 3' }, 'a message without an id'],
    ['chat message', { id: 42, room: 'general', text: 'a number for an id 4' }, 'a message whose id is a number'],
    ['private message', { to: 'ben-M', text: 'no id 5' }, 'a private message without an id'],
  ];
  for (const [event, payload, what] of withoutIds) {
    const answer = await ask(ann, event, [payload]);
    if (answer === undefined) await failNoAnswer(app, event, what, lesson);
    if (!refused(answer)) {
      fail({
        expected: `${what} to be refused with { ok: false, error: "…" }`,
        actual: `the server answered ${json(answer)}: without an id nobody can tell a message sent again from a new one, so refuse it, if (!isMessageId(id)) return answer({ ok: false, error: noId })`,
        lesson,
      });
    }
  }
  await marker(app, ann, ben, 'ann after the refusals 6');
  const leaked = withoutIds.map(([, payload]) => (payload as { text: string }).text).find((text) => got(ben.received, 'chat message', text) || got(ben.received, 'private message', text));
  if (leaked) {
    fail({ expected: 'a refused message to reach no one', actual: `ben-M got "${leaked}" all the same: return right after refusing`, lesson });
  }
});

/** How many times the checks send a copy of one message: more than the rate limit lets through, 5 messages in 3 s. */
const copiesSent = 6;

check('no-duplicates', 'the same message sent again and again is answered { ok: true } each time, reaches the others once, and counts once against the rate limit; a refused one is judged again', async (app) => {
  const cal = await join(app, 'cal-N');
  const dee = await join(app, 'dee-N');
  const eva = await join(app, 'eva-N');
  const lesson = 'Remember the ids the server has seen';
  const sent = message('general', 'sent twice 1');
  await expectAccepted(app, cal, 'chat message', sent, 'a message to #general', lesson);
  const sameWords = message('general', sent.text);
  await expectAccepted(app, cal, 'chat message', sameWords, 'a new message (a new id) with the same words', lesson);
  // Refused once (cal-N is not in #random yet), then sent again with the same id once it can pass.
  const refusedFirst = message('random', 'refused, then sent again 1b');
  const firstAnswer = await ask(cal, 'chat message', [refusedFirst]);
  if (accepted(firstAnswer)) {
    fail({
      expected: 'a message to #random from cal-N, who is not in #random, to be refused',
      actual: `it was answered ${json(firstAnswer)}: keep the check of step 09, if (!socket.rooms.has(room)) return answer({ ok: false, error: \`Join #\${room} first.\` })`,
      lesson,
    });
  }
  await expectAccepted(app, cal, 'join room', 'random', '"join room" with "random"', lesson);
  await expectAccepted(app, dee, 'join room', 'random', '"join room" with "random"', lesson);
  const secondAnswer = await ask(cal, 'chat message', [refusedFirst]);
  // The first message sent again, more times than the rate limit lets new messages through.
  const copyAnswers: unknown[] = [];
  for (let copy = 1; copy <= copiesSent; copy += 1) {
    const again = await ask(cal, 'chat message', [sent]);
    if (again === undefined) await failNoAnswer(app, 'chat message', 'the same message sent again, with the same id', lesson);
    copyAnswers.push(again);
  }
  await marker(app, eva, dee, 'eva after the copies 2');
  const copies = withText(dee.received, 'chat message', sent.text);
  if (copies.length > 2) {
    fail({
      expected: 'dee-N to receive once the message cal-N sent again and again with the same id',
      actual: `she got it ${copies.length - 1} times: remember each id passed on (remember(id)), and pass nothing on for an id in seenIds`,
      lesson,
    });
  }
  if (copies.length < 2 || copies.every((copy) => copy?.id === sent.id)) {
    fail({
      expected: 'dee-N to receive two messages with the same words but different ids: they are two messages',
      actual: `she got ${copies.length === 1 ? 'only one of them' : json(copies)}: tell messages apart by their id, never by their text`,
      lesson,
    });
  }
  const firstNo = copyAnswers.findIndex((answer) => !accepted(answer));
  if (firstNo === 0) {
    fail({
      expected: 'the same message sent again, with the same id, to be answered { ok: true } again',
      actual: `the server answered ${json(copyAnswers[0])}: its first copy did arrive, only the answer was lost, so say yes (or the page marks it "not sent" and the client may keep trying): if (seenIds.has(id)) return answer({ ok: true })`,
      lesson,
    });
  }
  if (firstNo > 0) {
    fail({
      expected: `each copy of a message sent ${copiesSent} times again, with the same id, to be answered { ok: true }: copies are not new messages, and do not count against the rate limit`,
      actual: `copy ${firstNo + 1} was answered ${json(copyAnswers[firstNo])}, after ${firstNo} answered { ok: true }: answer a copy before the rate check, if (seenIds.has(id)) return answer({ ok: true }), then if (!withinRate()) …`,
      lesson,
    });
  }
  if (!got(dee.received, 'chat message', refusedFirst.text)) {
    fail({
      expected: 'a message refused once, then sent again with the same id once cal-N had joined #random, to be judged again and reach dee-N in #random',
      actual: `the second try was answered ${json(secondAnswer ?? null)}, and dee-N never got it: its id was remembered though the message was refused. Call remember(id) only once the message passed every check, right before passing it on`,
      lesson,
    });
  }
});

const lastOnline = (received: ReceivedEvents) => payloads(received, 'online').at(-1) as unknown;
const isOffline = (nickname: string) => (received: ReceivedEvents) => {
  const list = lastOnline(received);
  return Array.isArray(list) && !list.includes(nickname);
};

/**
 * A client with retries, as the page now is, connected through `proxy`. It reconnects within
 * 0.1 s, and sends again on reconnection long before its ack timeout: the check stays short.
 */
const retrying = (proxy: CuttableProxy): JoinOptions => ({
  via: proxy,
  client: { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100, ackTimeout: 4000, retries: 3 },
});

check('cut-mid-send', 'a message whose answer was lost as the connection dropped is sent again, answered { ok: true }, and reaches the others once', async (app) => {
  const proxy = await app.proxy();
  const gil = await join(app, 'gil-X');
  const hal = await join(app, 'hal-X', retrying(proxy));
  const lesson = 'Remember the ids the server has seen';
  const sent = message('general', 'the answer to this one gets lost 1');
  proxy.dropReplies();
  const answer = (hal.socket as Socket).emitWithAck('chat message', sent).catch(() => undefined);
  if (!(await gil.received.waitUntil((r) => got(r, 'chat message', sent.text)))) {
    fail({ expected: 'gil-X to receive the message hal-X sent to #general', actual: 'he got nothing', lesson });
  }
  // Offline until the server has seen hal-X go, so that the nickname is free when he comes back.
  proxy.goOffline();
  const gone = await gil.received.waitUntil(isOffline('hal-X'));
  proxy.goOnline();
  if (!gone) fail({ expected: 'the server to see hal-X leave once his connection was cut', actual: `gil-X's last list of who is online is ${json(lastOnline(gil.received) ?? null)}` });
  const answerOnceBack = await within(answer, 3000);
  if (answerOnceBack === timedOut || answerOnceBack === undefined) {
    await expectAlive(app, 'a message came again after a reconnection', lesson);
    fail({
      expected: 'hal-X, who sent the message again once he was back, to be answered',
      actual: 'no answer came: a message whose id is in seenIds must be answered { ok: true } all the same, or a page keeps sending it, then says it failed',
      lesson,
    });
  }
  if (!accepted(answerOnceBack)) {
    fail({ expected: 'the message sent again after the reconnection to be answered { ok: true }', actual: `it was answered ${json(answerOnceBack)}`, lesson });
  }
  await marker(app, hal, gil, 'hal is back 2');
  const copies = withText(gil.received, 'chat message', sent.text).length;
  if (copies > 1) {
    fail({
      expected: 'gil-X to receive it once',
      actual: `he got it ${copies} times: it came again on hal-X's new connection, so the ids must outlive a connection: keep seenIds outside io.on('connection', …), one Set for the whole server`,
      lesson,
    });
  }
});

check('rooms-in-handshake', 'the rooms a client names in its handshake are joined on connection, the chat\'s rooms only', async (app) => {
  const lesson = 'Join the rooms named in the handshake';
  const fay = await join(app, 'fay-H');
  await expectAccepted(app, fay, 'join room', 'random', '"join room" with "random"', lesson);
  const dan = await join(app, 'dan-H');
  const eve = await join(app, 'eve-H', { auth: { rooms: ['random', 'user:dan-H', 'secret-lair'] } });
  const inRandom = message('random', 'fay in #random 1');
  await expectAccepted(app, fay, 'chat message', inRandom, 'a message to #random', lesson);
  if (!(await eve.received.waitUntil((r) => got(r, 'chat message', inRandom.text)))) {
    fail({
      expected: 'eve-H, who named #random in her handshake (auth: { nickname, rooms: ["random", …] }), to receive the messages of #random at once',
      actual: "she got nothing: in the connection listener, join the rooms of socket.handshake.auth.rooms, socket.join(wantedRooms.filter(isRoom))",
      lesson,
    });
  }
  const dm = { id: randomUUID(), to: 'dan-H', text: 'for dan only 2' };
  await ask(fay, 'private message', [dm], 6000);
  if (!(await dan.received.waitUntil((r) => got(r, 'private message', dm.text)))) {
    fail({ expected: 'dan-H to receive the private message fay-H sent him', actual: 'he got nothing', lesson: 'Confirm private messages with the recipient' });
  }
  await marker(app, fay, eve, 'fay in #general 3');
  if (got(eve.received, 'private message', dm.text)) {
    fail({
      expected: "eve-H not to receive a private message meant for dan-H",
      actual: "she got it: she named dan-H's room, user:dan-H, in her handshake, and was put in it. Join only the chat's rooms: filter with isRoom",
      lesson,
    });
  }
  for (const rooms of [42, 'random']) {
    await app.tryConnect({ auth: { nickname: `odd-rooms-${typeof rooms}`, rooms } });
    await expectAlive(app, `a client sent rooms: ${json(rooms)} in its handshake`, lesson);
  }
});

/** How long a sender may wait for the answer to a private message that is never confirmed: the server waits 5 s, the page's client 10 s. */
const unconfirmedAnswerMs = 8500;

check('dm-confirmed', 'a private message is answered { ok: true } once its recipient confirms it, and not before; sent again, it reaches the recipient again; never confirmed, it is refused within 5 s', async (app) => {
  const lesson = 'Confirm private messages with the recipient';
  const ray = await join(app, 'ray-E', { confirm: false });
  const sue = await join(app, 'sue-E');
  // One that ray-E never confirms: its answer is looked at last, once the server has given up.
  const ignored = { id: randomUUID(), to: 'ray-E', text: 'ray never confirms this 0' };
  const ignoredSentAt = Date.now();
  const ignoredAnswer = ask(sue, 'private message', [ignored], unconfirmedAnswerMs);
  const dm = { id: randomUUID(), to: 'ray-E', text: 'did you get this, ray? 1' };
  const answer = ask(sue, 'private message', [dm], 6000);
  if (!(await ray.received.waitUntil((r) => got(r, 'private message', dm.text)))) {
    fail({ expected: 'ray-E to receive the private message sue-E sent him', actual: 'he got nothing', lesson });
  }
  // A round trip on sue-E's connection: an answer to her private message, if the server sent one
  // already, comes in before the answer to this.
  await expectAccepted(app, sue, 'join room', 'general', '"join room" with "general"', 'Join the rooms named in the handshake');
  const early = await within(answer, 0);
  if (early !== timedOut) {
    fail({
      expected: 'sue-E to get no answer to her private message while ray-E has not confirmed it',
      actual: `she was answered ${json(early ?? null)} already: wait for the confirmation, await io.to(userRoom(to)).timeout(deliveryTimeoutMs).emitWithAck('private message', …), then answer`,
      lesson,
    });
  }
  const confirmOf = (text: string, nth = 0) => (ray.received.named('private message').filter((each) => (each[0] as Payload)?.text === text)[nth] ?? []).at(-1);
  const confirm = confirmOf(dm.text);
  if (typeof confirm !== 'function') {
    fail({
      expected: "the private message to reach ray-E with a function to confirm it",
      actual: "it came without one: send it with emitWithAck, io.to(userRoom(to)).timeout(deliveryTimeoutMs).emitWithAck('private message', { id, from: nickname, text })",
      lesson,
    });
  }
  (confirm as (reply: unknown) => void)({ ok: true });
  const confirmed = await within(answer, answerWithinMs);
  if (confirmed === timedOut || confirmed === undefined) {
    fail({ expected: 'sue-E to be answered once ray-E confirmed', actual: 'no answer came: answer the sender once the confirmations are in', lesson });
  }
  if (!accepted(confirmed)) {
    fail({ expected: 'sue-E to be answered { ok: true } once ray-E confirmed', actual: `she was answered ${json(confirmed)}: answer { ok: true } when confirmations.length > 0`, lesson });
  }
  // Sent again, as after a lost answer: it goes to ray-E again, whose page shows it once and confirms it again.
  const answerAgain = ask(sue, 'private message', [dm], 6000);
  if (!(await ray.received.waitUntil((r) => withText(r, 'private message', dm.text).length > 1, answerWithinMs))) {
    const settledAgain = await within(answerAgain, 0);
    fail({
      expected: 'the same private message sent again (its answer was lost) to reach ray-E again, for his page to confirm it again',
      actual: `he did not get it again${settledAgain === timedOut ? '' : `, and sue-E was answered ${json(settledAgain ?? null)}`}: a private message is not checked against seenIds; each try goes to the recipient and waits for their confirmation`,
      lesson,
    });
  }
  const confirmAgain = confirmOf(dm.text, 1);
  if (typeof confirmAgain === 'function') (confirmAgain as (reply: unknown) => void)({ ok: true });
  const confirmedAgain = await within(answerAgain, answerWithinMs);
  if (!accepted(confirmedAgain === timedOut ? undefined : confirmedAgain)) {
    fail({ expected: 'sue-E to be answered { ok: true } once ray-E confirmed the private message sent again', actual: `she was answered ${confirmedAgain === timedOut ? 'nothing' : json(confirmedAgain ?? null)}`, lesson });
  }
  // The server waits for ray-E's confirmation on its own clock, moved on here: its answer comes at
  // once, and the deadline is on that clock too (a server that waits 10 s gets no 10 s of it).
  const answeredInTime = await waitThroughTime(app.serverClock, unconfirmedAnswerMs - (Date.now() - ignoredSentAt), async (ms) => (await within(ignoredAnswer, ms)) !== timedOut, { stepMs: 500 });
  const unconfirmed = answeredInTime ? await ignoredAnswer : undefined;
  const waited = (unconfirmedAnswerMs / 1000).toFixed(1);
  if (unconfirmed === undefined) {
    await expectAlive(app, 'a private message went unconfirmed', lesson);
    fail({
      expected: `sue-E, whose private message ray-E never confirmed, to be answered within ${unconfirmedAnswerMs / 1000} s, before her page's client gives up waiting (10 s) and sends it again`,
      actual: `no answer came in ${waited} s: wait for the confirmation 5 s at most, .timeout(deliveryTimeoutMs), and in the catch, answer({ ok: false, error: \`\${to} did not confirm it within \${deliveryTimeoutMs / 1000} s: try again.\` })`,
      lesson,
    });
  }
  if (!refused(unconfirmed)) {
    fail({
      expected: 'sue-E, whose private message ray-E never confirmed, to be answered { ok: false, error: "…" }, so that her page says it was not sent, and why',
      actual: `she was answered ${json(unconfirmed)}: when emitWithAck rejects, no confirmation came in time, so in the catch, answer({ ok: false, error: \`\${to} did not confirm it within \${deliveryTimeoutMs / 1000} s: try again.\` })`,
      lesson,
    });
  }
});

check('stop-typing-answered', "'stop typing' is answered, so that a client with retries does not wait for it; 'typing' still reaches the others", async (app) => {
  const lesson = 'Answer stop typing too';
  const tom = await join(app, 'tom-T');
  const uma = await join(app, 'uma-T');
  // The nickname, or { nickname } as step 11 sends it.
  const typing = (event: string) => (r: ReceivedEvents) => r.named(event).some(([payload]) => payload === 'tom-T' || (payload as { nickname?: unknown } | undefined)?.nickname === 'tom-T');
  if (!(await keepTypingUntil(tom.socket, () => uma.received.waitUntil(typing('typing'))))) {
    fail({ expected: "uma-T to receive 'typing' with \"tom-T\" when tom-T types", actual: "she got nothing: keep socket.on('typing', …) as step 08 made it", lesson });
  }
  const answer = await ask(tom, 'stop typing', []);
  if (answer === undefined) {
    await expectAlive(app, "a client sent 'stop typing'", lesson);
    fail({
      expected: "'stop typing' to be answered through its acknowledgement",
      actual:
        `no answer came within ${seconds(answerWithinMs)}. A page with retries sends one event at a time and waits for its answer, so every message typed after it would wait 10 s × 4 tries: socket.on('stop typing', (reply: unknown) => { …; replyTo(reply)({ ok: true }); })`,
      lesson,
    });
  }
  if (!(await uma.received.waitUntil(typing('stop typing')))) {
    fail({ expected: "uma-T to receive 'stop typing' with \"tom-T\"", actual: 'she got nothing: pass it on to the others, as before, and answer', lesson });
  }
});

// ── The page, through a proxy that breaks its connection ──────────────────────────────────────

const shownMessages = async (page: ChatPage) => json(await page.messages());
const onlineHas = (nickname: string) => `[...document.querySelectorAll('#online li')].some((item) => item.textContent.trim() === ${json(nickname)})`;
/** The lines of #messages that hold `text`, their parts (a status in its own element) spaced apart. */
const linesWith = (page: ChatPage, text: string) =>
  page.engine.evaluate<string[]>(`[...document.querySelectorAll('#messages > li')]
    .filter((item) => item.textContent.includes(${json(text)}))
    .map((item) => [...item.childNodes].map((node) => node.textContent.trim()).filter(Boolean).join(' '))`);
const sending = /sending/i;
/** A line of `text` that says it failed, in words or by a class such as `failed`. */
const markedFailed = (page: ChatPage, text: string) =>
  page.engine.evaluate<boolean>(`[...document.querySelectorAll('#messages > li')].some((item) => item.textContent.includes(${json(text)}) && /not sent|fail/i.test(item.textContent + ' ' + item.className))`);

/**
 * Opens the page (through `via`, if given) and joins with `nickname`, then waits until #online
 * names `others` too. The checks read the state of its client, the global `socket` every step
 * has had, and make it reconnect within 0.1 s instead of 0.5 to 1.5 s, to stay short.
 */
async function joinPage(app: LearnerApp, nickname: string, others: string[], via?: CuttableProxy): Promise<ChatPage> {
  const page = await app.openPage('/', { via });
  if (!(await page.engine.evaluate<boolean>("typeof socket === 'object' && socket !== null && typeof socket.emitWithAck === 'function'"))) {
    fail({
      expected: "the page's Socket.IO client to be `socket`, made at the top of its script: const socket = io({ … })",
      actual: page.engine.errors[0] ? `the page failed with "${page.engine.errors[0]}"` : 'there is no `socket` in the page',
      lesson: 'Turn on retries in the page',
    });
  }
  // Its new options keep autoConnect: false: a client that opens its connection as the page loads
  // has no nickname to send, and is refused before anyone typed one.
  if (await page.engine.evaluate<boolean>('socket.io.engine !== undefined && socket.io.engine !== null')) {
    fail({
      expected: 'the page to connect once a nickname is submitted, as since step 07, with its new options too',
      actual: 'its client connected as the page loaded, before any nickname: the server refuses that connection, and #nick-error says so before anyone typed. Keep autoConnect: false among the options, io({ autoConnect: false, ackTimeout: 10_000, retries: 3 })',
      lesson: 'Turn on retries in the page',
    });
  }
  await page.engine.evaluate('socket.io.reconnectionDelay(50), socket.io.reconnectionDelayMax(100), true');
  await page.engine.typeAndSubmit('#nick', nickname);
  for (const name of [nickname, ...others]) {
    if (!(await page.engine.waitUntil(onlineHas(name), 3000))) {
      fail({
        expected: `the page to join as "${nickname}" and list who is online in #online, "${name}" included`,
        actual: page.engine.errors[0] ? `the page failed with "${page.engine.errors[0]}"` : `#online shows ${json(await page.texts('#online li'))}`,
        lesson: 'Send the rooms with the handshake',
      });
    }
  }
  return page;
}

/**
 * Waits until `condition`, an expression about the page's `socket`, holds; false if it does not
 * within `timeoutMs`. It is tested again whenever the client connects, disconnects or moves to a
 * WebSocket: jsdom tests `waitUntil` again on changes to the page only, and these may change none.
 */
function waitForSocket(page: ChatPage, condition: string, timeoutMs = 3000): Promise<boolean> {
  return page.engine.evaluate(`new Promise((resolve) => {
    const holds = () => Boolean(${condition});
    const listeners = [[socket, 'connect'], [socket, 'disconnect'], [socket.io.engine, 'upgrade']].filter(([emitter]) => emitter);
    const test = () => holds() && finish(true);
    const finish = (result) => {
      clearTimeout(timer);
      for (const [emitter, event] of listeners) emitter.off(event, test);
      resolve(result);
    };
    const timer = setTimeout(() => finish(holds()), ${timeoutMs});
    for (const [emitter, event] of listeners) emitter.on(event, test);
    test();
  })`);
}

/** Waits until the page's connection is a WebSocket, the one connection a cut or a drop then hits. */
async function onWebSocket(page: ChatPage): Promise<void> {
  if (!(await waitForSocket(page, "socket.connected && socket.io.engine?.transport?.name === 'websocket'"))) {
    fail({ expected: "the page's connection to move to a WebSocket", actual: 'it did not within 3 s', lesson: 'Turn on retries in the page' });
  }
  // The page moves to the WebSocket once it has sent UPGRADE on it, the server once it has read it:
  // cut in between, and the server keeps the page's polling session until its ping timeout. An
  // answer that came back over the WebSocket proves that the server moved too.
  await page.engine.evaluate("socket.timeout(3000).emitWithAck('join room', 'general').then(() => true, () => false)");
}

/** Waits until none of the page's messages says "sending…": the client has no message in flight. */
const settled = (page: ChatPage) =>
  page.engine.waitUntil(`![...document.querySelectorAll('#messages > li')].some((item) => /sending/i.test(item.textContent))`, 3000);

/** Submits `text` without typing it: no 'typing' or 'stop typing' goes out with it, the message alone. */
async function submitWithoutTyping(page: ChatPage, text: string): Promise<void> {
  await page.engine.evaluate(`(() => {
    const input = document.querySelector('#input');
    input.value = ${json(text)};
    input.form.requestSubmit();
    return true;
  })()`);
}

/** Types and sends `text`, then waits until `observer` has it; fails the check if it never comes. */
async function expectSent(app: LearnerApp, page: ChatPage, text: string, observer: Client, lesson: string): Promise<void> {
  await page.send(text);
  if (!(await observer.received.waitUntil((r) => got(r, 'chat message', text), 3000))) {
    const error = page.engine.errors[0];
    const lines = await linesWith(page, text);
    if (!error && lines.some((line) => sending.test(line))) {
      fail({
        expected: `a message typed in the page to reach ${observer.nickname}`,
        actual: `the page still shows ${json(lines)} after 3 s: its client sends one event at a time and waits for each answer, so this one waits behind an event that gets none. 'typing' is never answered: send it volatile, socket.volatile.emit('typing'), which skips the queue`,
        lesson: 'Turn on retries in the page',
      });
    }
    fail({
      expected: `a message typed in the page to reach ${observer.nickname}`,
      actual: error
        ? `the page failed with "${error}"${/of null \(reading 'ok'\)/.test(error) ? ': with retries, a callback is called (err, answer), so answer is null here. Send with send(), which uses emitWithAck' : ''}`
        : `it did not (the page shows ${await shownMessages(page)}): the form should send 'chat message' with { id, room: target.room, text }`,
      lesson,
    });
  }
}

async function clickRoom(page: ChatPage, label: string): Promise<void> {
  const clicked = await page.engine.evaluate<boolean>(`(() => {
    const button = [...document.querySelectorAll('#rooms button')].find((element) => element.textContent.trim() === ${json(label)});
    button?.click();
    return !!button;
  })()`);
  if (!clicked) fail({ expected: `a button "${label}" in #rooms`, actual: `there is none: #rooms holds ${json(await page.texts('#rooms button'))}`, lesson: 'Send the rooms with the handshake' });
}

check(
  'page-resend',
  'in the page, a message lost on its way to the server as the connection drops is sent again once it is back, and arrives once',
  async (app) => {
    const ivy = await join(app, 'ivy-A');
    await expectAccepted(app, ivy, 'join room', 'random', '"join room" with "random"', 'Join the rooms named in the handshake');
    const proxy = await app.proxy();
    const page = await joinPage(app, 'pia-A', [ivy.nickname], proxy);
    await clickRoom(page, '#random');
    await expectSent(app, page, 'pia says hi in #random 1', ivy, 'Give each message an id');
    const ownLine = (await linesWith(page, 'pia says hi in #random 1'))[0] ?? '';
    if (/\bundefined\b/.test(ownLine)) {
      fail({
        expected: 'your own message to show who wrote it, not "undefined"',
        actual: `the page shows ${json(ownLine)}: socket.auth is a function now, with no nickname to read; take it from the field, nick.value.trim()`,
        lesson: 'Give each message an id',
      });
    }
    await settled(page);
    await onWebSocket(page);
    proxy.dropRequests();
    const lost = 'pia: lost on the way in 2';
    await submitWithoutTyping(page, lost);
    proxy.cut();
    if (!(await ivy.received.waitUntil((r) => got(r, 'chat message', lost), 4000))) {
      const lines = await linesWith(page, lost);
      // "Join #random first.", on the message's line or on a line of its own ("joined" is a notice).
      const refusal = (await page.messages()).map((line) => /\bjoin\b.*/i.exec(line.replace(lost, ''))?.[0]).find(Boolean);
      if (refusal) {
        fail({
          expected: 'the message, sent again after the reconnection, to reach ivy-A in #random',
          actual: `the server refused it ("${refusal}"): it went out again before the 'connect' listener joined #random again. Send the rooms with the handshake, socket.auth = (send) => send({ nickname, rooms: [...joined] }), and delete the 'join room' emits from 'connect'`,
          lesson: 'Send the rooms with the handshake',
        });
      }
      fail({
        expected: 'a message sent just as the connection dropped to be sent again once it is back, and reach ivy-A',
        actual: `it was lost (the page shows ${json(lines)}): the client sent it once, into a dying connection. With io({ autoConnect: false, ackTimeout: 10_000, retries: 3 }), it waits for the answer and sends it again after the reconnection`,
        lesson: 'Turn on retries in the page',
      });
    }
    await expectSent(app, page, 'pia is back 3', ivy, 'Give each message an id');
    const copies = withText(ivy.received, 'chat message', lost).length;
    if (copies > 1) fail({ expected: 'ivy-A to receive it once', actual: `she got it ${copies} times`, lesson: 'Remember the ids the server has seen' });
  },
);

check(
  'page-ack-lost',
  'in the page, your message shows "sending…" until the server answers, and the reason when it refuses; when only the answer is lost, it is sent again and shown once, not as failed',
  async (app) => {
    const lesson = 'Show what happens to your message';
    const oli = await join(app, 'oli-B');
    const proxy = await app.proxy();
    const page = await joinPage(app, 'pat-B', [oli.nickname], proxy);
    await expectSent(app, page, 'pat says hi 1', oli, 'Give each message an id');
    const tooLong = `far too long ${'blah '.repeat(200)}`;
    const refusal = await ask(oli, 'chat message', [message('general', tooLong)]);
    const reason = (refusal as { error?: unknown } | undefined)?.error;
    if (typeof reason === 'string') {
      await submitWithoutTyping(page, tooLong);
      if (!(await page.engine.waitUntil(`document.querySelector('#messages').textContent.includes(${json(reason)})`, 2000))) {
        fail({
          expected: `a message the server refuses to be marked in the page with the reason it gave, "${reason}"`,
          actual: `#messages shows ${json((await page.messages()).map((line) => (line.length > 60 ? `${line.slice(0, 60)}…` : line)))}: when answer.ok is false, showFailure(item, status, answer.error)`,
          lesson,
        });
      }
    }
    await settled(page);
    await onWebSocket(page);
    proxy.dropReplies();
    const text = 'pat: the answer to this gets lost 2';
    await submitWithoutTyping(page, text);
    if (!(await oli.received.waitUntil((r) => got(r, 'chat message', text)))) {
      fail({ expected: 'a message sent from the page to reach oli-B', actual: `it did not (the page shows ${await shownMessages(page)})`, lesson: 'Give each message an id' });
    }
    const waiting = await linesWith(page, text);
    if (!waiting.some((line) => sending.test(line))) {
      fail({
        expected: 'your message to be marked "sending…" while the server has not answered it',
        actual: `the page shows ${json(waiting)}: send it with send(…), which adds <span class="status">sending…</span> and removes it on { ok: true }`,
        lesson,
      });
    }
    proxy.cut();
    const noLongerSending = `![...document.querySelectorAll('#messages > li')].some((item) => item.textContent.includes(${json(text)}) && /sending/i.test(item.textContent))`;
    const done = await page.engine.waitUntil(noLongerSending, 4000);
    const lines = await linesWith(page, text);
    if (await markedFailed(page, text)) {
      fail({
        expected: 'your message not to be marked as failed: it reached oli-B, only its answer was lost',
        actual: `the page shows ${json(lines)}: with io({ …, ackTimeout: 10_000, retries: 3 }), the client sends it again after the reconnection, and the server, which knows its id, answers { ok: true }`,
        lesson: 'Turn on retries in the page',
      });
    }
    if (!done) {
      fail({
        expected: 'your message to lose its "sending…" once the connection was back and the server answered',
        actual: `it still shows ${json(lines)}: the client sends it again with the same id, and the server must answer { ok: true } to an id it has seen`,
        lesson: 'Remember the ids the server has seen',
      });
    }
    if (lines.length > 1) {
      fail({ expected: 'your message to be shown once', actual: `the page shows it ${lines.length} times: ${json(lines)}`, lesson: 'Give each message an id' });
    }
    await expectSent(app, page, 'pat is back 3', oli, 'Give each message an id');
    const copies = withText(oli.received, 'chat message', text).length;
    if (copies > 1) fail({ expected: 'oli-B to receive it once', actual: `he got it ${copies} times`, lesson: 'Remember the ids the server has seen' });
  },
);

const connectionLineShown = `(() => {
  const line = document.querySelector('#connection');
  return !!line && !line.hidden && getComputedStyle(line).display !== 'none';
})()`;

check(
  'page-offline',
  'two pages that each send a message while the network is down say the connection is lost, and both messages arrive once it is back; so does one from a page opened again',
  async (app) => {
    const lesson = 'Give each message an id';
    const ola = await join(app, 'ola-C');
    const proxy = await app.proxy();
    const amy = await joinPage(app, 'amy-C', [ola.nickname], proxy);
    const bea = await joinPage(app, 'bea-C', [ola.nickname, 'amy-C'], proxy);
    await onWebSocket(amy);
    await onWebSocket(bea);
    // Back as soon as the network is: what they sent offline then comes at once.
    await Promise.all([retryAtOnce(amy), retryAtOnce(bea)]);
    proxy.goOffline();
    for (const page of [amy, bea]) {
      if (!(await waitForSocket(page, '!socket.connected'))) {
        fail({ expected: 'the page to notice that its connection was cut', actual: 'socket.connected stayed true for 3 s', lesson: 'Turn on retries in the page' });
      }
    }
    // Both gone for the server too: their nicknames are free again when they come back.
    if (!(await ola.received.waitUntil((r) => isOffline('amy-C')(r) && isOffline('bea-C')(r)))) {
      fail({ expected: 'the server to see amy-C and bea-C leave once their connections were cut', actual: `ola-C's last list of who is online is ${json(lastOnline(ola.received) ?? null)}` });
    }
    if (!(await amy.engine.waitUntil(connectionLineShown, 1000))) {
      fail({
        expected: 'the page to show the line #connection ("Connection lost: reconnecting…") while it is disconnected',
        actual: "it is hidden: socket.on('disconnect', () => { connection.hidden = false; })",
        lesson: 'Send the rooms with the handshake',
      });
    }
    const fromAmy = 'amy wrote this offline 1';
    const fromBea = 'bea wrote this offline 1';
    await amy.send(fromAmy);
    await bea.send(fromBea);
    proxy.goOnline();
    const both = (r: ReceivedEvents) => got(r, 'chat message', fromAmy) && got(r, 'chat message', fromBea);
    if (!(await ola.received.waitUntil(both, 4000))) {
      const arrived = [...withText(ola.received, 'chat message', fromAmy), ...withText(ola.received, 'chat message', fromBea)];
      if (arrived.length === 0) {
        fail({
          expected: 'the messages typed while the connection was lost to arrive once it is back',
          actual: `neither arrived (amy-C shows ${await shownMessages(amy)})`,
          lesson: 'Turn on retries in the page',
        });
      }
      const id = String(arrived[0]?.id);
      fail({
        expected: 'both messages, one from each page, to reach ola-C',
        actual: `only "${String(arrived[0]?.text)}" did, with the id ${json(id)}: the server took the other for the same message sent again, so both pages made the same id.${
          /undefined|null/.test(id) ? ' An id built from socket.id is "undefined…" while offline, on every page.' : ''
        } Make each id with crypto.randomUUID()`,
        lesson,
      });
    }
    if (!(await waitForSocket(amy, `socket.connected && !${connectionLineShown}`, 2000))) {
      fail({ expected: 'the line #connection to be hidden again once the page is back', actual: "it still shows: in the 'connect' listener, connection.hidden = true", lesson: 'Send the rooms with the handshake' });
    }
    await expectSent(app, amy, 'amy is back 2', ola, lesson);
    // Opened again, the page starts afresh: its ids must not repeat those of its earlier visit.
    await amy.close();
    if (!(await ola.received.waitUntil(isOffline('amy-C')))) fail({ expected: 'amy-C to leave once her page was closed', actual: `ola-C's last list is ${json(lastOnline(ola.received) ?? null)}`, lesson });
    const amyAgain = await joinPage(app, 'amy-C', [ola.nickname], proxy);
    const fresh = 'amy, opened again 3';
    await amyAgain.send(fresh);
    if (!(await ola.received.waitUntil((r) => got(r, 'chat message', fresh), 3000))) {
      fail({
        expected: 'a message from the page opened again to reach ola-C',
        actual: `it did not (the page shows ${await shownMessages(amyAgain)}): its id must have been one the server saw before, from the page's first visit. A counter starts again on every page load: make each id with crypto.randomUUID()`,
        lesson,
      });
    }
  },
);

check(
  'page-dm',
  'in the page, a private message is confirmed to its sender, each time it comes, and shown once; your own is marked "sending…" until its recipient confirms it',
  async (app) => {
    const lesson = 'Show each message once';
    const sam = await join(app, 'sam-D');
    const tia = await join(app, 'tia-D', { confirm: false });
    const page = await joinPage(app, 'pam-D', [sam.nickname, tia.nickname]);
    const dm = { id: randomUUID(), to: 'pam-D', text: 'for pam only 1' };
    const first = await ask(sam, 'private message', [dm], 7000);
    const shown = () => page.engine.waitUntil(`document.querySelector('#messages').textContent.includes(${json(dm.text)})`, 2000);
    if (!(await shown())) {
      fail({
        expected: 'the page to show a private message sam-D sent it',
        actual: `#messages shows ${await shownMessages(page)}: socket.on('private message', ({ id, from, text }, confirm) => { showOnce(id, \`[private] from \${from}: \${text}\`, 'private'); confirm({ ok: true }); })`,
        lesson,
      });
    }
    if (!accepted(first)) {
      fail({
        expected: 'sam-D to be answered { ok: true } once the page showed his private message',
        actual: `he was answered ${json(first ?? null)}: the page never confirmed it. It comes with a second argument: call it, confirm({ ok: true })`,
        lesson,
      });
    }
    const again = await ask(sam, 'private message', [dm], 7000);
    if (!accepted(again)) {
      fail({
        expected: 'the same private message sent again (its confirmation was lost) to be confirmed again',
        actual: `sam-D was answered ${json(again ?? null)}: call confirm({ ok: true }) every time, also for a message the page shows already`,
        lesson,
      });
    }
    const next = { id: randomUUID(), to: 'pam-D', text: 'for pam, a second one 2' };
    await ask(sam, 'private message', [next], 7000);
    if (!(await page.engine.waitUntil(`document.querySelector('#messages').textContent.includes(${json(next.text)})`, 2000))) {
      fail({ expected: 'the page to show a second private message from sam-D', actual: `#messages shows ${await shownMessages(page)}`, lesson });
    }
    const lines = await linesWith(page, dm.text);
    if (lines.length > 1) {
      fail({
        expected: 'a private message that came twice, with the same id, to be shown once',
        actual: `the page shows it ${lines.length} times: show it with showOnce(id, …), which skips an id it has shown already`,
        lesson,
      });
    }
    // A message to the room, as every step since 04 shows it: with its room and its author.
    const roomText = 'sam to #general 4';
    await expectAccepted(app, sam, 'chat message', { id: randomUUID(), room: 'general', text: roomText }, 'a message to #general', lesson);
    const roomLine = `[...document.querySelectorAll('#messages > li')].some((item) => item.textContent.includes(${json(roomText)}) && item.textContent.includes('sam-D') && item.textContent.includes('general'))`;
    if (!(await page.engine.waitUntil(roomLine, 2000))) {
      fail({
        expected: `the page to show a message sam-D sent to #general, with its room and author, as in "[#general] sam-D: ${roomText}"`,
        actual: `#messages shows ${await shownMessages(page)}: socket.on('chat message', ({ id, room, author, text }) => { forgetTyper(author); showOnce(id, \`[#\${room}] \${author}: \${text}\`); })`,
        lesson,
      });
    }
    // The page's own private message: "sending…" until tia-D's page (here, the checker) confirms it.
    const picked = await page.engine.evaluate<boolean>(`(() => {
      const button = [...document.querySelectorAll('#online button')].find((element) => element.textContent.trim() === 'tia-D');
      button?.click();
      return !!button;
    })()`);
    if (!picked) fail({ expected: 'a button "tia-D" in #online, to write to her privately', actual: `#online holds ${json(await page.texts('#online li'))}`, lesson });
    const mine = 'pam writes to tia 3';
    await submitWithoutTyping(page, mine);
    if (!(await tia.received.waitUntil((r) => got(r, 'private message', mine), answerWithinMs))) {
      fail({ expected: 'a private message written in the page to tia-D to reach her', actual: `it did not (the page shows ${await shownMessages(page)}): send it with send('private message', { id, to: target.to, text }, …)`, lesson: 'Give each message an id' });
    }
    const unconfirmed = await linesWith(page, mine);
    if (!unconfirmed.some((line) => sending.test(line))) {
      fail({
        expected: 'your private message to be marked "sending…" while its recipient has not confirmed it',
        actual: `the page shows ${json(unconfirmed)}, though tia-D has not confirmed it yet: send private messages with send(…) too, which marks the line until the answer comes`,
        lesson: 'Show what happens to your message',
      });
    }
    const confirmMine = (tia.received.named('private message').find((each) => (each[0] as Payload)?.text === mine) ?? []).at(-1);
    if (typeof confirmMine === 'function') (confirmMine as (reply: unknown) => void)({ ok: true });
    const noLongerSending = `![...document.querySelectorAll('#messages > li')].some((item) => item.textContent.includes(${json(mine)}) && /sending/i.test(item.textContent))`;
    if (!(await page.engine.waitUntil(noLongerSending, answerWithinMs))) {
      fail({ expected: 'your private message to lose its "sending…" once tia-D confirmed it', actual: `the page shows ${json(await linesWith(page, mine))}`, lesson: 'Show what happens to your message' });
    }
  },
);
