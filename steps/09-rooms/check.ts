// The checks of step 09, run by `npm run check 9` against the learner's running server.
import type { Socket } from 'socket.io-client';
import { accepted, askServer, check, expectServerAlive, fail, joinOrFail, json, keepTypingUntil, noAnswerWithin, refused, unheardOr, type ChatPage, type LearnerApp, type ReceivedEvents } from '../../checker/checks/check.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './events.ts';

type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Client {
  nickname: string;
  socket: ChatSocket;
  received: ReceivedEvents;
}
type Payload = { room?: unknown; author?: unknown; from?: unknown; text?: unknown } | undefined;

const payloads = (received: ReceivedEvents, event: string) => received.named(event).map((args) => args[0] as Payload);
/** The first 'chat message' or 'private message' (as `event` says) that carries `text`. */
const findText = (received: ReceivedEvents, event: string, text: string) => payloads(received, event).find((payload) => payload?.text === text);
/** The first event of any name that carried `text`, as a payload's text or as the payload itself. */
const eventWith = (received: ReceivedEvents, text: string) =>
  received.events.find(({ args }) => args.some((arg) => arg === text || (arg as Payload)?.text === text));
const gotAnyhow = (received: ReceivedEvents, text: string) => eventWith(received, text) !== undefined;

/** A client that joins with `nickname`; fails the check if the server does not let it in. */
async function join(app: LearnerApp, nickname: string): Promise<Client> {
  const joined = await joinOrFail<ServerToClientEvents, ClientToServerEvents>(app, { auth: { nickname } }, { who: `a client with the nickname "${nickname}"`, lesson: 'Put every connection in its rooms' });
  return { nickname, ...joined };
}

/** Fails the check, with the error that stopped it, if the server no longer lets anyone in. */
function expectAlive(app: LearnerApp, after: string, lesson: string): Promise<void> {
  return expectServerAlive(app, { after, lesson, advice: 'a listener must never throw, so check a value before you use it' });
}

/** The server's answer to an event with an acknowledgement, or undefined if none comes in time. */
const ask = (client: Client, event: keyof ClientToServerEvents, payload: unknown): Promise<unknown> => askServer(client.socket, event, payload);

/** Fails the check when a request got no answer: because the server stopped, or because it never answers. */
async function failNoAnswer(app: LearnerApp, event: string, what: string, lesson: string): Promise<never> {
  await expectAlive(app, `a client sent ${what}`, lesson);
  return fail({
    expected: `the server to answer ${what} through the acknowledgement`,
    actual: unheardOr(event, `${noAnswerWithin}: does socket.on('${event}', (…, reply) => …) exist, and call reply({ ok: true }) or reply({ ok: false, error: "…" }) every time?`),
    lesson,
  });
}

/** Asks for something that must be accepted; fails the check, saying what the server did, if it is not. */
async function expectAccepted(app: LearnerApp, client: Client, event: keyof ClientToServerEvents, payload: unknown, what: string, lesson: string): Promise<void> {
  const answer = await ask(client, event, payload);
  if (answer === undefined) await failNoAnswer(app, event, what, lesson);
  if (!accepted(answer)) {
    fail({ expected: `the server to accept ${what} from ${client.nickname}, answering { ok: true }`, actual: `it answered ${json(answer)}`, lesson });
  }
}

const joinRoom = (app: LearnerApp, client: Client, room: string) =>
  expectAccepted(app, client, 'join room', room, `"join room" with "${room}"`, 'Join and leave rooms');

/** A message to #general that `observer` must get, sent after others: once it is in, they would be in too. */
async function marker(app: LearnerApp, sender: Client, observer: Client, text: string): Promise<void> {
  const answer = await ask(sender, 'chat message', { room: 'general', text });
  if (answer === undefined) await failNoAnswer(app, 'chat message', 'a message to #general', 'Speak only in your rooms');
  if (!accepted(answer)) {
    fail({
      expected: `a message to #general from ${sender.nickname}, who never left it, to be answered { ok: true }`,
      actual: `the server answered ${json(answer)}: every new connection should be in #general, socket.join('general') in the connection listener`,
      lesson: 'Put every connection in its rooms',
    });
  }
  if (!(await observer.received.waitUntil((r) => findText(r, 'chat message', text) !== undefined))) {
    fail({
      expected: `${observer.nickname}, who is in #general, to receive a message ${sender.nickname} sent to #general`,
      actual: gotAnyhow(observer.received, text)
        ? `it came in another form (${json(eventWith(observer.received, text))}): send { room, author, text }`
        : "it never came: does each connection join 'general' on connection, and does the 'chat message' listener send with socket.to(room).emit?",
      lesson: 'Put every connection in its rooms',
    });
  }
}

check('room-isolation', 'a message to a room reaches the others in that room, and no one outside it', async (app) => {
  const alice = await join(app, 'alice-I');
  const bob = await join(app, 'bob-I');
  const carol = await join(app, 'carol-I');
  await joinRoom(app, alice, 'random');
  await joinRoom(app, carol, 'random');
  // The typing line stays as step 08 made it, for everyone: bob, outside #random, hears alice type…
  const typingSeen = (r: ReceivedEvents) => r.named('typing').some(([nickname]) => nickname === 'alice-I');
  const heardTyping = await keepTypingUntil(alice.socket, () => bob.received.waitUntil(typingSeen));
  if (!heardTyping) {
    fail({
      expected: 'bob-I to receive "typing" with "alice-I" when alice-I types, whatever rooms they are in',
      actual: `he got ${bob.received.describe({ except: ['online', 'notice'] })}: the typing line stays as in step 08, socket.on('typing', () => socket.broadcast.volatile.emit('typing', nickname))`,
      lesson: 'The idea',
    });
  }
  const text = 'only for #random 4711';
  await expectAccepted(app, alice, 'chat message', { room: 'random', text }, 'a message to #random (a room it joined)', 'Speak only in your rooms');
  if (!(await carol.received.waitUntil((r) => gotAnyhow(r, text)))) {
    fail({
      expected: 'carol-I, who joined #random, to receive the message alice-I sent to #random',
      actual: "she got nothing: in 'join room', socket.join(room); in 'chat message', socket.to(room).emit('chat message', { room, author: nickname, text })",
      lesson: 'Speak only in your rooms',
    });
  }
  const got = findText(carol.received, 'chat message', text);
  if (got?.room !== 'random' || got.author !== 'alice-I') {
    fail({
      expected: `the message to arrive as "chat message" with { room: "random", author: "alice-I", text: "${text}" }`,
      actual: `it came as ${json(eventWith(carol.received, text))}: the page needs the room to show where it was said`,
      lesson: 'Speak only in your rooms',
    });
  }
  // From carol: a message from alice would end her typing by itself.
  await marker(app, carol, bob, 'for everyone in #general 4712');
  if (gotAnyhow(bob.received, text)) {
    fail({
      expected: 'bob-I, who is only in #general, not to receive a message sent to #random',
      actual: 'he got it: io.emit and socket.broadcast.emit reach everyone; socket.to(room).emit reaches that room only',
      lesson: 'Speak only in your rooms',
    });
  }
  // …and learns that she stopped once her message went out, though he did not get it.
  if (!bob.received.named('stop typing').some(([nickname]) => nickname === 'alice-I')) {
    fail({
      expected: 'bob-I, outside #random, to receive "stop typing" with "alice-I" once the server relayed her message to #random: the typing line is for everyone',
      actual: `he got ${bob.received.describe({ except: ['online', 'notice', 'typing'] })}: in the 'chat message' listener, keep socket.broadcast.emit('stop typing', nickname) before the relay, for everyone, not only the room`,
      lesson: 'The idea',
    });
  }
  // Alice's answer came after anything the server sent her before it: an echo would be in by now.
  if (gotAnyhow(alice.received, text)) {
    fail({
      expected: 'the sender not to get its own message back (its page shows it already)',
      actual: 'alice-I got it back: io.to(room) includes the sender, socket.to(room) leaves it out',
      lesson: 'Speak only in your rooms',
    });
  }
});

/** The notices `received` got (from the event at index `from` on) that name `nickname` and `room`, e.g. "dave-J joined #help". */
const noticesAbout = (received: ReceivedEvents, nickname: string, room: string, from = 0) =>
  received.events
    .slice(from)
    .filter((event) => event.name === 'notice')
    .map((event) => event.args[0])
    .filter((text): text is string => typeof text === 'string' && text.includes(nickname) && text.includes(room));

check('join-leave', "joining a room brings its messages and tells the others in it; after leaving it, they stop", async (app) => {
  const dave = await join(app, 'dave-J');
  const erin = await join(app, 'erin-J');
  const fay = await join(app, 'fay-J');
  const lesson = 'Join and leave rooms';
  await joinRoom(app, erin, 'help');
  await joinRoom(app, dave, 'help');
  if (!(await erin.received.waitUntil((r) => noticesAbout(r, 'dave-J', 'help').length > 0))) {
    fail({
      expected: 'erin-J, in #help, to get a notice such as "dave-J joined #help" when dave-J joins it',
      actual: `she got ${erin.received.describe({ except: ['online'] })}: once the socket joined, tell the others in the room, socket.to(room).emit('notice', \`\${nickname} joined #\${room}\`)`,
      lesson,
    });
  }
  // Joining a room he is in already changes nothing, and says so to no one.
  await joinRoom(app, dave, 'help');
  const first = 'welcome to #help 1';
  await expectAccepted(app, erin, 'chat message', { room: 'help', text: first }, 'a message to #help', 'Speak only in your rooms');
  if (!(await dave.received.waitUntil((r) => gotAnyhow(r, first)))) {
    fail({
      expected: 'dave-J, who joined #help, to receive the messages sent to #help',
      actual: "he got nothing: in socket.on('join room', …), call socket.join(room) before you answer",
      lesson,
    });
  }
  await expectAccepted(app, dave, 'leave room', 'help', '"leave room" with "help"', lesson);
  if (!(await erin.received.waitUntil((r) => noticesAbout(r, 'dave-J', 'help').length > 1))) {
    fail({
      expected: 'erin-J, in #help, to get a notice such as "dave-J left #help" when dave-J leaves it',
      actual: `the notices about dave-J and #help she got are ${json(noticesAbout(erin.received, 'dave-J', 'help'))}: once the socket left, tell the others in the room, socket.to(room).emit('notice', \`\${nickname} left #\${room}\`)`,
      lesson,
    });
  }
  // Leaving a room he is no longer in changes nothing either.
  await expectAccepted(app, dave, 'leave room', 'help', '"leave room" with "help", from dave-J who already left it', lesson);
  const second = 'anyone still in #help? 2';
  await expectAccepted(app, erin, 'chat message', { room: 'help', text: second }, 'a message to #help', 'Speak only in your rooms');
  await marker(app, erin, dave, 'meanwhile in #general 3');
  if (gotAnyhow(dave.received, second)) {
    fail({
      expected: 'dave-J, who left #help, to receive no more of its messages',
      actual: "he still got one: in socket.on('leave room', …), call socket.leave(room)",
      lesson,
    });
  }
  // Dave's message comes after anything the server sent erin and fay while it handled his requests.
  const last = 'dave in #general 3b';
  await marker(app, dave, erin, last);
  await fay.received.waitUntil((r) => gotAnyhow(r, last));
  const aboutDave = noticesAbout(erin.received, 'dave-J', 'help');
  if (aboutDave.length > 2) {
    fail({
      expected: 'one notice when dave-J joins #help and one when he leaves it: joining a room you are in already, or leaving one you are not in, changes nothing and tells no one',
      actual: `erin-J got ${json(aboutDave)}: join and tell the others only if (!socket.rooms.has(room)), leave and tell them only if (socket.rooms.has(room))`,
      lesson,
    });
  }
  const toOthers = [...noticesAbout(fay.received, 'dave-J', 'help').map((notice) => `fay-J, only in #general, got ${json(notice)}`), ...noticesAbout(dave.received, 'dave-J', 'help').map((notice) => `dave-J himself got ${json(notice)}`)];
  if (toOthers.length > 0) {
    fail({
      expected: 'the notices that dave-J joined or left #help to reach the others in #help only',
      actual: `${toOthers[0]}: send them with socket.to(room).emit, which reaches the room without the sender (not socket.broadcast.emit, nor io.to(room).emit)`,
      lesson,
    });
  }
});

check('not-a-member', 'a message to a room the sender did not join is refused with a reason, and reaches no one', async (app) => {
  const frank = await join(app, 'frank-M');
  const grace = await join(app, 'grace-M');
  await joinRoom(app, grace, 'random');
  const text = 'sneaking into #random 5';
  const answer = await ask(frank, 'chat message', { room: 'random', text });
  if (answer === undefined) await failNoAnswer(app, 'chat message', 'a message', 'Speak only in your rooms');
  if (!refused(answer)) {
    fail({
      expected: 'a message to #random from frank-M, who never joined it, to be refused with { ok: false, error: "…" }',
      actual: `the server answered ${json(answer)}: a socket may emit to any room, so check socket.rooms.has(room) first, and refuse`,
      lesson: 'Speak only in your rooms',
    });
  }
  await marker(app, frank, grace, 'frank says hi in #general 6');
  if (gotAnyhow(grace.received, text)) {
    fail({
      expected: 'a refused message to reach no one',
      actual: 'grace-M, in #random, got it all the same: return right after refusing, before socket.to(room).emit',
      lesson: 'Speak only in your rooms',
    });
  }
});

check('bad-requests', 'unknown rooms and malformed messages are refused with a reason, and the server stays up', async (app) => {
  const mia = await join(app, 'mia-B');
  const requests: [event: keyof ClientToServerEvents, payload: unknown, what: string, lesson: string][] = [
    ['join room', 'secret-lair', '"join room" with a room that does not exist, "secret-lair"', 'Join and leave rooms'],
    ['join room', { room: 'random' }, '"join room" with an object instead of a room name', 'Join and leave rooms'],
    ['leave room', 'secret-lair', '"leave room" with a room that does not exist, "secret-lair"', 'Join and leave rooms'],
    ['chat message', { room: 'secret-lair', text: 'hello? 7' }, 'a message to a room that does not exist, "secret-lair"', 'Speak only in your rooms'],
    ['chat message', 'just some text', 'a message that is only text, with no room', 'Speak only in your rooms'],
    ['chat message', { room: 'general', text: 42 }, 'a message whose text is a number', 'Speak only in your rooms'],
    ['private message', null, 'a private message that is null', 'Private messages through a room of one'],
  ];
  for (const [event, payload, what, lesson] of requests) {
    const answer = await ask(mia, event, payload);
    if (answer === undefined) await failNoAnswer(app, event, what, lesson);
    if (!refused(answer)) {
      fail({
        expected: `${what} to be refused with { ok: false, error: "…why…" }`,
        actual: `the server answered ${json(answer)}: check every field of a payload before you use it`,
        lesson,
      });
    }
  }
  // A script need not pass a callback: calling the missing reply would throw and stop the server.
  (mia.socket as Socket).emit('join room', 'secret-lair');
  (mia.socket as Socket).emit('chat message', { room: 'general', text: 'no callback 7' });
  (mia.socket as Socket).emit('private message', { to: 'nobody-here', text: 'no callback 7' });
  if ((await ask(mia, 'join room', 'random')) === undefined) {
    await expectAlive(app, 'requests sent without a callback', 'Join and leave rooms');
    await failNoAnswer(app, 'join room', '"join room" with "random"', 'Join and leave rooms');
  }
});

check('private-message', 'a private message reaches exactly the one user it is for, only if its text is sensible and its sender not too fast, and stays out of the log', async (app) => {
  const heidi = await join(app, 'heidi-P');
  const ivan = await join(app, 'ivan-P');
  const judy = await join(app, 'judy-P');
  const lesson = 'Private messages through a room of one';
  // Its text is checked as a message's is (step 07): it must be some text, of 1000 characters at most.
  const badTexts: [text: unknown, what: string][] = [
    [42, 'whose text is a number'],
    ['   ', 'whose text is only spaces'],
    [`${'x'.repeat(1000)} 8`, 'of 1002 characters'],
  ];
  for (const [text, what] of badTexts) {
    const answer = await ask(heidi, 'private message', { to: 'ivan-P', text });
    if (answer === undefined) await failNoAnswer(app, 'private message', `a private message ${what}`, lesson);
    if (!refused(answer)) {
      fail({
        expected: `a private message to ivan-P ${what} to be refused with { ok: false, error: "…" }, as a message would be`,
        actual: `the server answered ${json(answer)}: check the text as for a message, if (!isText(text)) return answer({ ok: false, error: notText })`,
        lesson,
      });
    }
  }
  const text = 'psst, ivan 8';
  const logFrom = app.log.mark();
  await expectAccepted(app, heidi, 'private message', { to: 'ivan-P', text }, 'a private message to ivan-P (who is online)', lesson);
  if (!(await ivan.received.waitUntil((r) => gotAnyhow(r, text)))) {
    fail({
      expected: 'ivan-P to receive the private message heidi-P sent him',
      actual: "he got nothing: on connection, socket.join(`user:${nickname}`); in 'private message', io.to(`user:${to}`).emit('private message', { from: nickname, text })",
      lesson,
    });
  }
  const got = findText(ivan.received, 'private message', text);
  if (got?.from !== 'heidi-P') {
    fail({
      expected: `it to arrive as "private message" with { from: "heidi-P", text: "${text}" }`,
      actual: `it came as ${json(eventWith(ivan.received, text))}`,
      lesson,
    });
  }
  // The refused ones came before it, on the same connection: had one gone out, it would be in.
  const badOnes = ivan.received.named('private message').filter(([payload]) => (payload as Payload)?.text !== text);
  if (badOnes.length > 0) {
    fail({
      expected: 'a refused private message to reach no one',
      actual: `ivan-P got ${json(badOnes[0]![0])}: return right after refusing, before io.to(…).emit`,
      lesson,
    });
  }
  if (gotAnyhow(heidi.received, text)) {
    fail({ expected: 'the sender not to get its own private message back', actual: 'heidi-P got it back: send it to the room of the one it is for, and no one else', lesson });
  }
  const markerText = 'heidi in #general 9';
  await marker(app, heidi, judy, markerText);
  if (gotAnyhow(judy.received, text)) {
    fail({
      expected: 'judy-P not to receive a private message meant for ivan-P',
      actual: "she got it: send it with io.to(`user:${to}`).emit, never io.emit or socket.broadcast.emit",
      lesson,
    });
  }
  // The server logs the message to #general, if it logs messages, after the private one: wait for it a moment.
  await app.log.waitFor(new RegExp(markerText), { from: logFrom, timeoutMs: 1000 });
  const logged = app.log.find(new RegExp(text), logFrom);
  if (logged) {
    fail({
      expected: 'the log to say who wrote to whom, but not what: a private message stays private',
      actual: `your server printed "${logged.text.trim()}": log console.log(\`private message from \${nickname} to \${to}\`), without the text`,
      lesson,
    });
  }
  // Heidi has sent two messages: ten more at once, and the rate limit refuses some (step 07: 5 in each window of 3 s).
  const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => ask(heidi, 'private message', { to: 'judy-P', text: `flood ${index} 9b` })));
  if (answers.includes(undefined)) await failNoAnswer(app, 'private message', 'a private message', lesson);
  if (!answers.some(refused)) {
    fail({
      expected: 'the rate limit to refuse some of ten private messages sent at once, after two messages, as it would messages',
      actual: `the server answered ${json(answers[answers.length - 1])} to all of them: check the rate as for a message, if (!withinRate()) return answer({ ok: false, error: tooFast })`,
      lesson,
    });
  }
});

check('dm-offline', 'a private message to someone who is not online, or to yourself, is refused; once they are back, it reaches them', async (app) => {
  const kim = await join(app, 'kim-O');
  const lesson = 'Private messages through a room of one';
  const refusals: [to: string, what: string, why: string][] = [
    ['nobody-here', 'a private message to "nobody-here", who never came', 'check that someone with that nickname is online, onlineNicknames().includes(to), and refuse'],
    ['kim-O', 'a private message from kim-O to herself', 'refuse when to === nickname'],
  ];
  for (const [to, what, why] of refusals) {
    const answer = await ask(kim, 'private message', { to, text: 'hello? 10' });
    if (answer === undefined) await failNoAnswer(app, 'private message', what, lesson);
    if (!refused(answer)) fail({ expected: `${what} to be refused with { ok: false, error: "…" }`, actual: `the server answered ${json(answer)}: ${why}`, lesson });
  }
  const leo = await join(app, 'leo-O');
  leo.socket.close();
  const leoGone = (r: ReceivedEvents) => {
    const list = payloads(r, 'online').at(-1) as unknown;
    return Array.isArray(list) && !list.includes('leo-O');
  };
  if (!(await kim.received.waitUntil(leoGone, 2000))) {
    fail({ expected: 'the list of who is online to drop leo-O once he left', actual: `the last list kim-O got was ${json(payloads(kim.received, 'online').at(-1) ?? null)}`, lesson });
  }
  const answer = await ask(kim, 'private message', { to: 'leo-O', text: 'are you there? 11' });
  if (answer === undefined) await failNoAnswer(app, 'private message', 'a private message', lesson);
  if (!refused(answer)) {
    fail({
      expected: 'a private message to leo-O, who has just left, to be refused with { ok: false, error: "…" }',
      actual: `the server answered ${json(answer)}: look the nickname up among the sockets connected now, onlineNicknames().includes(to)`,
      lesson,
    });
  }
  // Back with a new connection, so a new socket.id: the room named after the nickname still finds him.
  const leoAgain = await join(app, 'leo-O');
  const text = 'welcome back, leo 12';
  await expectAccepted(app, kim, 'private message', { to: 'leo-O', text }, 'a private message to leo-O (back online)', lesson);
  if (!(await leoAgain.received.waitUntil((r) => gotAnyhow(r, text)))) {
    fail({
      expected: 'leo-O, back with a new connection, to receive a private message',
      actual: 'he got nothing: a socket.id changes with every connection, so name the room after the nickname, `user:${nickname}`, and join it on every connection',
      lesson,
    });
  }
});

/** The page's text of what is shown in #messages, to quote in a failure. */
const shownMessages = async (page: ChatPage) => json(await page.messages());

const onlineHas = (nickname: string) => `[...document.querySelectorAll('#online li')].some((item) => item.textContent.trim() === ${json(nickname)})`;

/** Opens the page and joins with `nickname` through its form, then waits until #online names `others` too. */
async function joinPage(app: LearnerApp, nickname: string, others: string[]): Promise<ChatPage> {
  const page = await app.openPage();
  await page.engine.typeAndSubmit('#nick', nickname);
  for (const name of [nickname, ...others]) {
    if (!(await page.engine.waitUntil(onlineHas(name), 3000))) {
      fail({
        expected: `the page to join as "${nickname}" and list who is online in #online, "${name}" included`,
        actual: page.engine.errors[0] ? `the page failed with "${page.engine.errors[0]}"` : `#online shows ${json(await page.texts('#online li'))}`,
        lesson: 'Pick a room in the page',
      });
    }
  }
  return page;
}

/** Clicks the first button in `container` whose text is `label` (after trimming); false if there is none. */
function clickButton(page: ChatPage, container: string, label: string): Promise<boolean> {
  return page.engine.evaluate(`(() => {
    const button = [...document.querySelectorAll(${json(`${container} button`)})].find((element) => element.textContent.trim() === ${json(label)});
    button?.click();
    return !!button;
  })()`);
}

/**
 * A page expression: true once the button labelled `label` in `container` is marked as the
 * starter's showTarget() marks it: `pressed` (aria-pressed, where the next message goes) or
 * `joined` (the ✓ of a room the page is in), as `is` says.
 */
const marked = (container: string, label: string, mark: 'pressed' | 'joined', is: boolean) => `(() => {
  const button = [...document.querySelectorAll(${json(`${container} button`)})].find((element) => element.textContent.trim() === ${json(label)});
  const on = ${mark === 'pressed' ? "button?.getAttribute('aria-pressed') === 'true'" : "!!button?.classList.contains('joined')"};
  return on === ${is};
})()`;

const showsLine = (text: string, ...words: string[]) =>
  `[...document.querySelectorAll('#messages > li')].some((item) => item.textContent.includes(${json(text)}) && ${json(words)}.every((word) => (item.textContent + ' ' + item.className).toLowerCase().includes(word)))`;

/**
 * Disconnects the page's socket and connects it again, as after a network drop: the server then
 * has a new socket, in #general only. The page, still writing to #random, must have asked to
 * join it again. Skipped for a page without a global `socket`.
 */
async function expectBackInRoom(page: ChatPage, nickname: string, member: Client): Promise<void> {
  const before = await page.engine.evaluate<string | null>("typeof socket === 'object' && socket?.connected ? socket.id : null");
  if (before === null) return;
  const online = (r: ReceivedEvents) => payloads(r, 'online').at(-1) as unknown;
  await page.engine.evaluate('socket.disconnect(), true');
  // Once the server has let go of the old socket, the nickname is free again.
  await member.received.waitUntil((r) => Array.isArray(online(r)) && !(online(r) as unknown[]).includes(nickname));
  await page.engine.evaluate('socket.connect(), true');
  if (!(await page.engine.waitUntil(`socket.connected && socket.id !== ${json(before)}`, 3000))) return;
  const text = `${nickname} is back after a reconnection 13`;
  await page.send(text);
  if (!(await member.received.waitUntil((r) => gotAnyhow(r, text), 3000))) {
    const shown = await page.messages();
    const refusal = shown.find((line) => /join/i.test(line) && !line.includes(text));
    fail({
      expected: 'a page that lost its connection and got it back to still send to #random',
      actual: `${refusal ? `the server refused its message ("${refusal}")` : `${member.nickname} never got "${text}"`}: a new connection is in #general only, so on 'connect' the page should emit 'join room' for each room in joined`,
      lesson: 'Pick a room in the page',
    });
  }
}

check('page-rooms', 'in the page, picking a room joins it, again after a reconnection: what is typed goes to that room only, and messages show their room', async (app) => {
  const pat = await join(app, 'pat-R');
  const quin = await join(app, 'quin-R');
  await joinRoom(app, pat, 'random');
  const page = await joinPage(app, 'olga-R', [pat.nickname, quin.nickname]);
  const lesson = 'Pick a room in the page';
  if (!(await clickButton(page, '#rooms', '#random'))) {
    fail({ expected: 'a button "#random" in #rooms', actual: `there is none: #rooms holds ${json(await page.texts('#rooms button'))}`, lesson });
  }
  const text = 'olga typed this after a click 13';
  await page.send(text);
  if (!(await pat.received.waitUntil((r) => gotAnyhow(r, text), 3000))) {
    const error = page.engine.errors[0];
    fail({
      expected: 'a message typed in the page after clicking "#random" to reach pat-R, who is in #random',
      actual: error
        ? `the page failed with "${error}"`
        : `it did not (the page shows ${await shownMessages(page)}): clicking a room should emit 'join room' (unless the page is in it already) and make it the target, and the form emit 'chat message' with { room: target.room, text }`,
      lesson,
    });
  }
  const got = findText(pat.received, 'chat message', text);
  if (got?.room !== 'random') {
    fail({
      expected: 'it to reach pat-R as a message of #random',
      actual: typeof got?.room === 'string'
        ? `it was sent to #${got.room}: a click on "#random" should set target = { room: 'random' } (and emit 'join room'), and the form send { room: target.room, text }`
        : `it came as ${json(eventWith(pat.received, text))}`,
      lesson,
    });
  }
  if (!(await page.engine.waitUntil(showsLine(text, 'random'), 2000))) {
    fail({
      expected: `the page to show its own message with its room, as in "[#random] olga-R: ${text}"`,
      actual: `#messages shows ${await shownMessages(page)}: in the submit listener, show(\`[#\${target.room}] \${socket.auth.nickname}: \${text}\`, 'mine')`,
      lesson,
    });
  }
  const reply = 'pat answers 15';
  await expectAccepted(app, pat, 'chat message', { room: 'random', text: reply }, 'a message to #random', 'Speak only in your rooms');
  if (!(await page.engine.waitUntil(showsLine(reply, 'random', 'pat-r'), 2000))) {
    fail({
      expected: `the page to show "${reply}" with its author and its room, as in "[#random] pat-R: ${reply}"`,
      actual: `#messages shows ${await shownMessages(page)}: socket.on('chat message', ({ room, author, text }) => show(\`[#\${room}] \${author}: \${text}\`))`,
      lesson,
    });
  }
  // Pat's message came after the page's answer to 'join room': the page knows it is in #random.
  if (!(await page.engine.waitUntil(marked('#rooms', '#random', 'joined', true), 2000))) {
    fail({
      expected: 'the button "#random" to show its ✓ once the page is in #random',
      actual: "it has none (no class \"joined\"): in the answer to 'join room', joined.add(room), then showTarget() to show it",
      lesson,
    });
  }
  await expectBackInRoom(page, 'olga-R', pat);
  // Leave leaves the room the page writes to: #random's messages stop coming.
  const beforeLeave = pat.received.events.length;
  const clickedLeave = await page.engine.evaluate<boolean>("(() => { const button = document.querySelector('#leave'); button?.click(); return !!button; })()");
  if (!clickedLeave) {
    fail({ expected: 'the Leave button, <button id="leave">, in #rooms', actual: `there is none: #rooms holds ${json(await page.texts('#rooms button'))}`, lesson });
  }
  if (!(await pat.received.waitUntil((r) => noticesAbout(r, 'olga-R', 'random', beforeLeave).length > 0, 3000))) {
    fail({
      expected: 'a click on Leave, while the page writes to #random, to leave #random: pat-R, in it, is told "olga-R left #random"',
      actual: `pat-R got ${pat.received.describe({ from: beforeLeave })}: on a click on the Leave button, emit 'leave room' with target.room, and delete it from joined once answered`,
      lesson,
    });
  }
  const afterLeave = 'pat in #random after olga left 19';
  await expectAccepted(app, pat, 'chat message', { room: 'random', text: afterLeave }, 'a message to #random', 'Speak only in your rooms');
  const patInGeneral = 'pat in #general after olga left 20';
  await expectAccepted(app, pat, 'chat message', { room: 'general', text: patInGeneral }, 'a message to #general', 'Speak only in your rooms');
  if (!(await page.engine.waitUntil(showsLine(patInGeneral), 2000))) {
    fail({ expected: `the page, still in #general, to show "${patInGeneral}" from pat-R`, actual: `#messages shows ${await shownMessages(page)}`, lesson });
  }
  if (await page.engine.evaluate<boolean>(showsLine(afterLeave))) {
    fail({
      expected: 'the page, once it left #random, not to show what pat-R says there',
      actual: `it shows ${json((await page.messages()).find((line) => line.includes(afterLeave)))}: the server still counts it in #random`,
      lesson,
    });
  }
  if (!(await page.engine.waitUntil(marked('#rooms', '#random', 'joined', false), 2000))) {
    fail({
      expected: 'the ✓ of "#random" to go once the page left #random',
      actual: "it is still there (class \"joined\"): in the answer to 'leave room', joined.delete(room), then showTarget()",
      lesson,
    });
  }
  // Left, the page is no longer in #random: a click on it joins it again.
  const beforeRejoin = pat.received.events.length;
  await clickButton(page, '#rooms', '#random');
  if (!(await pat.received.waitUntil((r) => noticesAbout(r, 'olga-R', 'random', beforeRejoin).length > 0, 3000))) {
    fail({
      expected: 'a click on "#random", after the page left it, to join #random again: pat-R, in it, is told "olga-R joined #random"',
      actual: `pat-R got ${pat.received.describe({ from: beforeRejoin })}: once 'leave room' is answered { ok: true }, delete the room from joined, so that the next click emits 'join room' again`,
      lesson,
    });
  }
  if (!(await clickButton(page, '#rooms', '#general'))) {
    fail({ expected: 'a button "#general" in #rooms', actual: `there is none: #rooms holds ${json(await page.texts('#rooms button'))}`, lesson });
  }
  // #general is joined already: nothing to wait for, the page shows at once where the next message goes.
  if (!(await page.engine.waitUntil(marked('#rooms', '#general', 'pressed', true), 2000))) {
    fail({
      expected: 'the button "#general", a room the page is in already, to show as picked once clicked',
      actual: 'it is not pressed (aria-pressed is not "true"): after target = { room }, call showTarget() at once, not only once a join is answered',
      lesson,
    });
  }
  const inGeneral = 'olga is back in #general 14';
  await page.send(inGeneral);
  if (!(await quin.received.waitUntil((r) => gotAnyhow(r, inGeneral), 3000))) {
    fail({ expected: 'a message typed after clicking "#general" to reach quin-R, who is in #general', actual: `it did not (the page shows ${await shownMessages(page)})`, lesson });
  }
  if (gotAnyhow(quin.received, text)) {
    fail({ expected: 'quin-R, who is only in #general, not to receive what the page sent to #random', actual: 'he did', lesson });
  }
});

check('page-private', 'in the page, picking a name sends a private message to that person only; a private message received is shown as private', async (app) => {
  const rosa = await join(app, 'rosa-D');
  const sam = await join(app, 'sam-D');
  const page = await joinPage(app, 'tess-D', [rosa.nickname, sam.nickname]);
  const lesson = 'Write to one person in the page';
  if (!(await clickButton(page, '#online', rosa.nickname))) {
    fail({
      expected: 'each name in #online to be a button, which picks that person to write to',
      actual: `#online holds no button "rosa-D" (it shows ${json(await page.texts('#online li'))}): in the 'online' listener, put a <button type="button"> in each <li>`,
      lesson,
    });
  }
  if (!(await page.engine.waitUntil(marked('#online', rosa.nickname, 'pressed', true), 2000))) {
    fail({
      expected: 'the name "rosa-D" to show as picked once clicked, so that tess sees who she writes to',
      actual: 'its button is not pressed (aria-pressed is not "true"): after target = { to: name }, call showTarget()',
      lesson,
    });
  }
  const text = 'just between us, rosa 16';
  await page.send(text);
  if (!(await rosa.received.waitUntil((r) => gotAnyhow(r, text), 3000))) {
    const error = page.engine.errors[0];
    fail({
      expected: 'a message typed in the page after clicking "rosa-D" to reach rosa-D as a private message',
      actual: error
        ? `the page failed with "${error}"`
        : `it did not (the page shows ${await shownMessages(page)}): clicking a name should make it the target, { to: name }, and the form emit 'private message' with { to: target.to, text }`,
      lesson,
    });
  }
  if (findText(rosa.received, 'private message', text)?.from !== 'tess-D') {
    const asRoomMessage = findText(rosa.received, 'chat message', text);
    fail({
      expected: 'it to reach rosa-D as "private message" from tess-D',
      actual: asRoomMessage
        ? `it was sent to #${String(asRoomMessage.room)}, for everyone there: a click on a name should set target = { to: name }, and the form emit 'private message' when target.to is set`
        : `it came as ${json(eventWith(rosa.received, text))}`,
      lesson,
    });
  }
  if (!(await page.engine.waitUntil(showsLine(text, 'rosa-d'), 2000))) {
    fail({
      expected: `the page to show its own private message with whom it went to, as in "[private] to rosa-D: ${text}"`,
      actual: `#messages shows ${await shownMessages(page)}: in the submit listener, when target.to is set, show(\`[private] to \${target.to}: \${text}\`, 'mine private')`,
      lesson,
    });
  }
  if (!(await clickButton(page, '#rooms', '#general'))) {
    fail({ expected: 'a button "#general" in #rooms', actual: `there is none: #rooms holds ${json(await page.texts('#rooms button'))}`, lesson: 'Pick a room in the page' });
  }
  const inGeneral = 'tess in #general 17';
  await page.send(inGeneral);
  if (!(await sam.received.waitUntil((r) => gotAnyhow(r, inGeneral), 3000))) {
    fail({ expected: 'a message typed after clicking "#general" to reach sam-D, in #general', actual: `it did not (the page shows ${await shownMessages(page)})`, lesson: 'Pick a room in the page' });
  }
  if (gotAnyhow(sam.received, text)) {
    fail({ expected: 'sam-D not to receive the private message meant for rosa-D', actual: 'he did', lesson });
  }
  const reply = 'rosa whispers back 18';
  await expectAccepted(app, rosa, 'private message', { to: 'tess-D', text: reply }, 'a private message to tess-D', 'Private messages through a room of one');
  if (!(await page.engine.waitUntil(showsLine(reply, 'rosa-d', 'private'), 2000))) {
    fail({
      expected: `the page to show "${reply}" marked as private, with who sent it, as in "[private] from rosa-D: ${reply}"`,
      actual: `#messages shows ${await shownMessages(page)}: socket.on('private message', ({ from, text }) => show(\`[private] from \${from}: \${text}\`, 'private'))`,
      lesson,
    });
  }
});
