// The checks of step 07, run by `npm run check 7` against the learner's running server.
import type { Socket } from 'socket.io-client';
import { accepted, answerWithinMs, askServer, check, expectServerAlive, fail, joinOrFail, json, letTimePass, lostConnection, noAnswerWithin, refused, unheardOr, whyNotLetIn, type ChatPage, type LearnerApp, type ReceivedEvents } from '../../checker/checks/check.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './events.ts';

type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Client {
  socket: ChatSocket;
  received: ReceivedEvents;
}

const chatMessages = (received: ReceivedEvents) => received.named('chat message').map((args) => args[0]);
const onlineLists = (received: ReceivedEvents) => received.named('online').map((args) => args[0]);
const notices = (received: ReceivedEvents) => received.named('notice').map((args) => String(args[0]));
const lists = (value: unknown, ...nicknames: string[]) => Array.isArray(value) && nicknames.every((nickname) => value.includes(nickname));

/** A connection attempt, as app.tryConnect, with the handshake's `auth`. */
function attempt(app: LearnerApp, auth?: Record<string, unknown>) {
  return app.tryConnect<ServerToClientEvents, ClientToServerEvents>({ auth });
}

/** A client that joins with `nickname`; fails the check if the server refuses it. */
function join(app: LearnerApp, nickname: string): Promise<Client> {
  return joinOrFail<ServerToClientEvents, ClientToServerEvents>(app, { auth: { nickname } }, { who: `a client with the nickname "${nickname}" in its handshake (auth)`, lesson: 'Check the nickname in a middleware' });
}

/** Fails the check, with the error that stopped it, if the server no longer lets anyone in. */
function expectAlive(app: LearnerApp, after: string, lesson: string, advice = "a listener must never throw: check a value's type before you use it"): Promise<void> {
  return expectServerAlive(app, { after, lesson, advice });
}

/** The server's answer to a 'chat message', or undefined if none comes in time. */
const send = (socket: ChatSocket, payload: unknown): Promise<unknown> => askServer(socket, 'chat message', payload);

/** Fails the check when a message got no answer: because the server stopped, or because it never answers. */
async function failNoAnswer(app: LearnerApp, what: string, lesson: string): Promise<never> {
  await expectAlive(app, `a client sent ${what}`, lesson);
  return fail({
    expected: `the server to answer through the acknowledgement when a client sends ${what}`,
    actual: unheardOr('chat message', `${noAnswerWithin}: the listener takes (text, reply) and calls reply({ ok: true }) or reply({ ok: false, error: "…" }) for every message`),
    lesson,
  });
}

check('nickname-required', 'a client without a nickname, with an empty, blank or too long one, or one that is not text, is refused with a reason', async (app) => {
  const wrongNicknames: [what: string, auth: Record<string, unknown> | undefined][] = [
    ['no nickname', undefined],
    ['an empty nickname', { nickname: '' }],
    ['a nickname of only spaces', { nickname: '   ' }],
    ['a nickname of 33 characters', { nickname: 'n'.repeat(33) }],
    ['a nickname that is a number, not text', { nickname: 42 }],
  ];
  for (const [what, auth] of wrongNicknames) {
    const tried = await attempt(app, auth);
    if (tried.connected) {
      fail({
        expected: `the server to refuse a client with ${what}`,
        actual: `it let the client in: in io.use((socket, next) => …), call next(new Error('…why…')) unless socket.handshake.auth.nickname is text of 1 to 32 characters once the spaces around it are trimmed`,
        lesson: 'Check the nickname in a middleware',
      });
    }
    if (tried.error === 'timeout' || lostConnection(tried.error)) {
      await expectAlive(app, `a client tried to join with ${what}`, 'Check the nickname in a middleware', "a middleware must never throw: check typeof nickname === 'string' before you use it");
      fail({ expected: `the server to refuse a client with ${what}, and say why`, actual: await whyNotLetIn(app, tried.error), lesson: 'Check the nickname in a middleware' });
    }
    if (tried.error.trim() === '') {
      fail({
        expected: `the refusal of a client with ${what} to say why`,
        actual: "it came without a message: pass the reason to the error, as in next(new Error('Choose a nickname first.'))",
        lesson: 'Check the nickname in a middleware',
      });
    }
  }
  const longest = 'thirty-two-characters-long-name!';
  const longestTried = await attempt(app, { nickname: longest });
  if (!longestTried.connected) {
    fail({
      expected: 'a nickname of exactly 32 characters to be let in',
      actual: `${await whyNotLetIn(app, longestTried.error)}: refuse only nicknames longer than 32 characters`,
      lesson: 'Check the nickname in a middleware',
    });
  }
  // Spaces around a nickname do not count, for its length either.
  const padded = '  another-name-of-thirty-two-chars  ';
  const paddedAttempt = await attempt(app, { nickname: padded });
  if (!paddedAttempt.connected) {
    fail({
      expected: `a nickname of 32 characters with two spaces on each side, ${json(padded)}, to be let in: spaces around a nickname do not count`,
      actual: `${await whyNotLetIn(app, paddedAttempt.error)}: trim the nickname first, then check its length: wanted.trim()`,
      lesson: 'Check the nickname in a middleware',
    });
  }
});

check('nickname-unique', 'a nickname already online is refused, whatever its case, and is free again once its owner leaves', async (app) => {
  const alice = await join(app, 'Alice-U');
  for (const [nickname, why] of [
    ['Alice-U', "refuse a nickname that a connected socket already has in socket.data.nickname"],
    ['aLICE-u', 'compare nicknames in lower case, so that "Alice" and "alice" count as the same'],
    ['  alice-u ', 'spaces around a nickname do not count: trim it, then compare it and keep it'],
  ] as const) {
    const second = await attempt(app, { nickname });
    if (second.connected) {
      fail({
        expected: `${json(nickname)} to be refused while "Alice-U" is online`,
        actual: `it was let in: ${why}`,
        lesson: 'Check the nickname in a middleware',
      });
    }
    if (second.error.trim() === '') {
      fail({ expected: 'the refusal to say why', actual: "it came without a message: next(new Error('… is already taken'))", lesson: 'Check the nickname in a middleware' });
    }
  }
  alice.socket.close();
  // The server hears the goodbye a moment later: try again until the name is free.
  const deadline = Date.now() + 2000;
  let last = await attempt(app, { nickname: 'alice-u' });
  while (!last.connected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await attempt(app, { nickname: 'alice-u' });
  }
  if (!last.connected) {
    fail({
      expected: '"alice-u" to be free again once "Alice-U" left',
      actual: `it was still refused 2 s later (${await whyNotLetIn(app, last.error)}): look the nickname up among the sockets connected now, or, if you keep your own Set of names, delete it on disconnect`,
      lesson: 'Check the nickname in a middleware',
    });
  }
});

check('online-list', "everyone gets the list of who is online, and the others a notice naming who, when someone joins, and again when someone leaves", async (app) => {
  const ann = await join(app, 'Ann-L');
  if (!(await ann.received.waitUntil((r) => lists(onlineLists(r).at(-1), 'Ann-L')))) {
    fail({
      expected: 'a client that joins to receive "online" with the list of nicknames, its own included',
      actual: `it received ${onlineLists(ann.received).length ? json(onlineLists(ann.received)) : 'no "online" event'}: in the connection listener, io.emit('online', onlineNicknames())`,
      lesson: 'Who is online',
    });
  }
  const ben = await join(app, 'Ben-L');
  for (const [name, client] of [['the clients already there', ann], ['the newcomer', ben]] as const) {
    if (!(await client.received.waitUntil((r) => lists(onlineLists(r).at(-1), 'Ann-L', 'Ben-L')))) {
      fail({
        expected: `${name} to get a list with "Ann-L" and "Ben-L" once Ben-L joined`,
        actual: `the last list they got was ${json(onlineLists(client.received).at(-1) ?? null)}: send it to everyone, io.emit, not socket.broadcast.emit`,
        lesson: 'Who is online',
      });
    }
  }
  const noticesNaming = (nickname: string, from = 0) => notices(ann.received).slice(from).filter((text) => text.includes(nickname));
  if (!(await ann.received.waitUntil(() => noticesNaming('Ben-L').length > 0))) {
    fail({
      expected: 'the others to get a notice that names the newcomer, such as "Ben-L joined"',
      actual: `they got ${notices(ann.received).length ? json(notices(ann.received)) : 'no notice'}: socket.broadcast.emit('notice', \`\${socket.data.nickname} joined\`)`,
      lesson: 'Who is online',
    });
  }
  const noticesBefore = notices(ann.received).length;
  const listsBefore = onlineLists(ann.received).length;
  ben.socket.close();
  const benGone = (list: unknown) => lists(list, 'Ann-L') && !lists(list, 'Ben-L');
  if (!(await ann.received.waitUntil((r) => benGone(onlineLists(r).at(-1))))) {
    const last = onlineLists(ann.received).at(-1);
    fail({
      expected: 'the others to get the list without "Ben-L" once Ben-L left',
      actual:
        onlineLists(ann.received).length === listsBefore
          ? "no new list came: in socket.on('disconnect', …), io.emit('online', onlineNicknames()) too"
          : `the new list still names Ben-L (${json(last)}): send it from the 'disconnect' listener, which runs once the socket is out of io.of('/').sockets ('disconnecting' runs before)`,
      lesson: 'Who is online',
    });
  }
  if (!(await ann.received.waitUntil(() => noticesNaming('Ben-L', noticesBefore).length > 0))) {
    const got = notices(ann.received).slice(noticesBefore);
    fail({
      expected: 'the others to get a notice that names the one who left, such as "Ben-L left"',
      actual: `they got ${got.length ? json(got) : 'no notice'}: in the 'disconnect' listener, socket.broadcast.emit('notice', \`\${nickname} left\`)`,
      lesson: 'Who is online',
    });
  }
});

check('author', "a message reaches the others as { author, text }, the author being the sender's nickname", async (app) => {
  const ivy = await join(app, 'Ivy-A');
  const joe = await join(app, 'Joe-A');
  const text = 'hello from ivy 5150';
  const answer = await send(ivy.socket, text);
  if (answer === undefined) await failNoAnswer(app, 'a message', 'Validate every message');
  if (!accepted(answer)) {
    fail({ expected: `"${text}" to be answered { ok: true }`, actual: `the server answered ${json(answer)}`, lesson: 'Validate every message' });
  }
  if (!(await joe.received.waitUntil((r) => chatMessages(r).length > 0))) {
    fail({ expected: 'the other clients to receive the message', actual: "they did not: send it on with socket.broadcast.emit('chat message', { author: nickname, text })", lesson: 'Validate every message' });
  }
  const got = chatMessages(joe.received)[0] as { author?: unknown; text?: unknown } | string;
  if (typeof got !== 'object' || got === null || got.text !== text) {
    fail({ expected: `the others to receive { author: "Ivy-A", text: "${text}" }`, actual: `they received ${json(got)}: send an object with the author and the text`, lesson: 'Validate every message' });
  }
  if (got.author !== 'Ivy-A') {
    fail({
      expected: 'the author to be the nickname of the client that sent it, "Ivy-A"',
      actual: `it was ${json(got.author ?? null)}: take it from the sender's socket.data.nickname`,
      lesson: 'Validate every message',
    });
  }
  // The answer came after anything the server sent to Ivy before it: an echo would be in by now.
  if (chatMessages(ivy.received).length > 0) {
    fail({ expected: 'the sender not to get its own message back (its page shows it already)', actual: 'it did: send it on with socket.broadcast.emit', lesson: 'Validate every message' });
  }
});

check('bad-payloads', 'a message that is not text, empty or over 1,000 characters is refused with a reason, reaches no one, and the server stays up', async (app) => {
  const kim = await join(app, 'Kim-P');
  const lou = await join(app, 'Lou-P');
  const meg = await join(app, 'Meg-P');
  // At most five messages from one sender: a rate limit may count refused messages too.
  const badPayloads: [what: string, payload: unknown, from: Client][] = [
    ['a number', 42, kim],
    ['an object', { text: 'hi' }, kim],
    ['an empty text', '', kim],
    ['a text of 1,001 characters', 'x'.repeat(1001), kim],
    ['a blank text, only spaces', '   ', meg],
  ];
  for (const [what, payload, from] of badPayloads) {
    const answer = await send(from.socket, payload);
    if (answer === undefined) await failNoAnswer(app, what, 'Validate every message');
    if (!refused(answer)) {
      fail({
        expected: `${what} to be refused with { ok: false, error: "…why…" }`,
        actual: `the server answered ${json(answer)}: check typeof text === 'string', that text.trim() is not '' and that it is at most 1,000 characters long, before anything else`,
        lesson: 'Validate every message',
      });
    }
  }
  const longest = 'y'.repeat(1000);
  const answer = await send(kim.socket, longest);
  if (!accepted(answer)) {
    fail({
      expected: 'a text of exactly 1,000 characters to be accepted, { ok: true }, after the refused ones',
      actual: answer === undefined ? 'no answer came' : `the server answered ${json(answer)}: refuse only texts longer than 1,000 characters`,
      lesson: 'Validate every message',
    });
  }
  // Sent after the refused ones: once it is in, any of them that got through would be in too.
  if (!(await lou.received.waitUntil((r) => chatMessages(r).some((message) => (message as { text?: unknown })?.text === longest)))) {
    fail({ expected: 'the accepted message to reach the others', actual: 'it did not', lesson: 'Validate every message' });
  }
  const leaked = chatMessages(lou.received).filter((message) => (message as { text?: unknown })?.text !== longest);
  if (leaked.length > 0) {
    fail({
      expected: 'a refused message to reach no one',
      actual: `another client received ${json(leaked[0])}: answer the refusal and return before socket.broadcast.emit`,
      lesson: 'Validate every message',
    });
  }
  // A script need not pass a callback: calling the missing reply would throw and stop the server.
  (lou.socket as Socket).emit('chat message', 42);
  if ((await send(lou.socket, 'still here')) === undefined) {
    await expectAlive(app, 'a client sent a number without a callback', 'Validate every message', "call reply only if typeof reply === 'function'");
    fail({
      expected: 'the server to go on answering after a message sent without a callback',
      actual: `the next message got ${noAnswerWithin.replace(/^no answer came/, 'no answer')}`,
      lesson: 'Validate every message',
    });
  }
});

check('rate-limit', 'a client that floods the chat gets 5 messages through in each 3-second window, and the others keep chatting', async (app) => {
  const ned = await join(app, 'Ned-R');
  const oz = await join(app, 'Oz-R');
  const joining = Date.now();
  const max = await join(app, 'Max-R');
  // What Ned hears of Max's arrival (the checks above proved it comes) is not about the flood.
  await ned.received.waitUntil((r) => lists(onlineLists(r).at(-1), 'Max-R') && notices(r).some((notice) => notice.includes('Max-R')));
  const nedFrom = ned.received.events.length;
  /** 20 messages from Max at once, sent as soon as it is in: they all fall in its first window. */
  const flood = async (round: number) => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => send(max.socket, `flood ${round}.${index + 1}`)));
    if (answers.includes(undefined)) await failNoAnswer(app, '20 messages at once', 'Limit the rate');
    return { answers, ended: Date.now(), through: answers.filter(accepted).length };
  };
  /**
   * At most 5 of a flood go through when the checker knows that they all reached the server
   * within 3 s of the start of their window; on a machine so busy that they may not have, 10
   * (two windows) at most. `windowOpened` is a time no later than the window's start.
   */
  const atMost = (round: { ended: number }, windowOpened: number) => (round.ended - windowOpened < 3000 ? 5 : 10);

  const first = await flood(1);
  /** When the flood was answered, on the server's clock, which the check moves on below. */
  const floodAnsweredAt = await app.serverClock.now();
  if (first.through === 0) {
    fail({ expected: 'the first messages of a flood to go through', actual: `all 20 were refused, the first with ${json(first.answers[0])}`, lesson: 'Limit the rate' });
  }
  if (!first.answers.some(refused)) {
    fail({
      expected: 'some of 20 messages sent at once by one client to be refused with { ok: false, error: "…" }',
      actual: `${first.through} of them were accepted and none refused: count each connection's messages, and refuse those over the limit (5 in each 3-second window)`,
      lesson: 'Limit the rate',
    });
  }
  /** Fails the check if a client that sent nothing yet is refused: the count is not per connection. */
  const expectOzThrough = async (text: string) => {
    const answer = await send(oz.socket, text);
    if (!accepted(answer)) {
      fail({
        expected: "another client's message to go through while one client floods",
        actual: `the server answered ${json(answer ?? null)}: keep the count per connection, inside io.on('connection', …), not one count for everyone`,
        lesson: 'Limit the rate',
      });
    }
  };
  const firstRefused = first.answers.findIndex((answer) => !accepted(answer));
  if (firstRefused < 5) {
    // Refused early because other clients used up a count shared by everyone?
    await expectOzThrough('oz, who has sent nothing yet');
    fail({
      expected: 'the first 5 messages of a window to go through, and the sixth to be refused',
      actual: `of 20 messages sent at once by a client that had just joined, message ${firstRefused + 1} was refused, with ${json(first.answers[firstRefused])}: allow 5, sentInWindow += 1; return sentInWindow <= 5`,
      lesson: 'Limit the rate',
    });
  }
  if (first.through > atMost(first, joining)) {
    fail({
      expected: 'at most 5 messages of a window to go through: the sixth and every later one are refused',
      actual: `${first.through} of 20 messages sent at once, within the first window of a client that had just joined, were accepted${first.through === 6 ? ': one too many; count the message first, sentInWindow += 1, then refuse it if sentInWindow > 5' : ''}`,
      lesson: 'Limit the rate',
    });
  }
  const text = 'oz is still chatting 99';
  await expectOzThrough(text);
  if (!(await ned.received.waitUntil((r) => chatMessages(r).some((message) => (message as { text?: unknown })?.text === text)))) {
    fail({ expected: "another client's message to reach the others while one client floods", actual: 'it did not', lesson: 'Limit the rate' });
  }
  const told = ned.received.events.slice(nedFrom).filter((event) => event.name !== 'chat message');
  if (told.length > 0) {
    fail({
      expected: 'a refusal to reach only the client refused, through its acknowledgement',
      actual: `while Max-R was refused for sending too fast, another client got ${ned.received.describe({ from: nedFrom, except: ['chat message'] })}: say why to the sender only, answer({ ok: false, error })`,
      lesson: 'Limit the rate',
    });
  }
  const relayed = chatMessages(ned.received).filter((message) => String((message as { text?: unknown })?.text).startsWith('flood '));
  if (relayed.length > first.through) {
    fail({
      expected: `only the ${first.through} accepted messages of the flood to reach the others`,
      actual: `they received ${relayed.length}: return after refusing, before socket.broadcast.emit`,
      lesson: 'Limit the rate',
    });
  }

  // Every message of the flood reached the server before its answer came: 3 s after the last
  // answer, the window they fell in is over, and the next message opens a new one.
  // That wait is the server's own time: its clock is moved on through it.
  const windowOver = first.ended + 3000 + 100;
  await letTimePass(app.serverClock, windowOver - Date.now());
  const later = 'max, a little later';
  const sentLater = Date.now();
  const laterAnswer = await send(max.socket, later);
  if (!accepted(laterAnswer)) {
    fail({
      expected: 'a client refused for sending too fast to be let through again once its window is over',
      actual: `a message sent ${(((await app.serverClock.now()) - floodAnsweredAt) / 1000).toFixed(1)} s after the flood was answered ${json(laterAnswer ?? null)}: once a message comes more than 3 s after the start of the window, it opens a new one: windowStart = Date.now(); sentInWindow = 0`,
      lesson: 'Limit the rate',
    });
  }
  const second = await flood(2);
  if (second.through > atMost(second, sentLater)) {
    fail({
      expected: 'at most 5 messages of each window to go through, in the second window as in the first',
      actual: `${second.through} of 20 messages sent at once were accepted, right after the message that opened a new window: when a window is over, open the next one at that message, windowStart = Date.now(), and count from 0 again`,
      lesson: 'Limit the rate',
    });
  }
});

/**
 * Whether an element is shown: false when it is missing or not displayed. A real browser says so
 * through the computed style, which also catches CSS such as `display: grid` overriding the
 * `hidden` attribute; jsdom computes little CSS, so there the attribute counts too.
 */
function shown(selector: string): string {
  return `(() => {
    const element = document.querySelector(${json(selector)});
    if (!element || getComputedStyle(element).display === 'none') return false;
    return navigator.userAgent.includes('jsdom') ? !element.hidden : true;
  })()`;
}

/** What went wrong in the page: a script that did not load, or its first error; other failed requests (a refused handshake's last poll, say) do not count. */
const pageError = (page: ChatPage) => page.problem();

const onlineHas = (nickname: string) => `[...document.querySelectorAll('#online li')].some((item) => item.textContent.trim() === ${json(nickname)})`;

/** The page, open, with its nickname form; fails the check if it has none. */
async function openNicknamePage(app: LearnerApp): Promise<ChatPage> {
  const page = await app.openPage();
  if ((await page.count('#nick-form #nick')) === 0) {
    fail({
      expected: 'the page to ask for a nickname first: a <form id="nick-form"> holding <input id="nick">',
      actual: pageError(page) ?? 'there is no such form',
      lesson: 'Join from the page',
    });
  }
  return page;
}

/** Joins with `nickname` through the page's form; fails the check if #online never names it. */
async function joinAs(page: ChatPage, nickname: string, others: string[] = []): Promise<void> {
  await page.engine.typeAndSubmit('#nick', nickname);
  if (!(await page.engine.waitUntil([nickname, ...others].map(onlineHas).join(' && '), 3000))) {
    const [error] = await page.texts('#nick-error');
    fail({
      expected: `the page to join as "${nickname}" and list everyone online in #online, an <li> per nickname (${json([nickname, ...others])} at least)`,
      actual:
        pageError(page) ??
        (error?.trim()
          ? `it shows "${error.trim()}" in #nick-error`
          : `#online shows ${json(await page.texts('#online li'))}: on submit, set socket.auth = { nickname } and call socket.connect(); on 'online', fill #online`),
      lesson: 'Join from the page',
    });
  }
}

/** True when the page has a socket named `socket` that is not connected and not trying to (`active`: it would reconnect). */
const idleSocket = `typeof socket === 'object' && socket !== null && socket.active === false && socket.connected === false`;

check('page-join', 'the page asks for a nickname, shows why one is refused, joins with another and shows who is online', async (app) => {
  const anonymous = await attempt(app);
  const noNickname = anonymous.connected ? '' : anonymous.error.trim();
  await join(app, 'Quin-W');
  const refusal = await attempt(app, { nickname: 'Quin-W' });
  const reason = refusal.connected ? '' : refusal.error.trim();
  const page = await openNicknamePage(app);
  // A page that connects as it opens has no nickname to send yet: the server's refusal shows unasked.
  // Its handshake goes out with its scripts: where the engine sees requests, one seen means the
  // refusal is on its way, and it is waited for however busy the machine; otherwise, half a second.
  const handshook = page.engine.requestsMade?.some((url) => /\/socket\.io\/\?EIO=/.test(url)) ?? false;
  // A page whose socket (named `socket`, as the lesson names it) is neither connected nor active
  // waits for a nickname: it connects only once told to, socket.connect(). Nothing to wait for then.
  const waitsToConnect = !handshook && (await page.engine.evaluate<boolean>(idleSocket));
  const showsRefusal = `document.querySelector('#nick-error')?.textContent.includes(${json(noNickname)})`;
  if (noNickname && !waitsToConnect && (await page.engine.waitUntil(showsRefusal, handshook ? answerWithinMs : 500))) {
    fail({
      expected: 'the page to wait for a nickname before it connects',
      actual: `it connected as soon as it opened, and shows "${noNickname}" before a nickname was typed: create the socket with io({ autoConnect: false })`,
      lesson: 'Join from the page',
    });
  }
  if (await page.engine.evaluate<boolean>(shown('#form'))) {
    fail({
      expected: 'the message form #form to wait, hidden, until the page has joined',
      actual: 'it shows before a nickname was chosen: give it the attribute hidden, <form id="form" action="" hidden>, and show it on \'connect\'',
      lesson: 'Join from the page',
    });
  }
  await page.engine.typeAndSubmit('#nick', 'Quin-W');
  const errorShown = `document.querySelector('#nick-error')?.textContent.includes(${json(reason)})`;
  if (!reason || !(await page.engine.waitUntil(errorShown, 3000))) {
    const [error] = await page.texts('#nick-error');
    fail({
      expected: `a page whose nickname is taken to show the server's reason in #nick-error${reason ? ` ("${reason}")` : ''}`,
      actual: pageError(page) ?? `#nick-error shows ${json(error ?? null)}: on 'connect_error', put error.message in #nick-error`,
      lesson: 'Join from the page',
    });
  }
  if (!(await page.engine.evaluate<boolean>(shown('#nick-form')))) {
    fail({ expected: 'the nickname form to stay after a refusal, so that another nickname can be tried', actual: 'it was hidden', lesson: 'Join from the page' });
  }
  await joinAs(page, 'Pat-W', ['Quin-W']);
  if (await page.engine.evaluate<boolean>(shown('#nick-form'))) {
    fail({ expected: 'the nickname form to hide once the page joined', actual: "it is still shown: on 'connect', set nickForm.hidden = true", lesson: 'Join from the page' });
  }
  if (!(await page.engine.evaluate<boolean>(shown('#form')))) {
    fail({ expected: 'the message form #form to show once the page joined', actual: "it is hidden: on 'connect', set form.hidden = false", lesson: 'Join from the page' });
  }
  if (!(await page.engine.evaluate<boolean>(shown('#online')))) {
    fail({ expected: 'the list of who is online, #online, to show once the page joined', actual: "it is hidden: on 'connect', set online.hidden = false", lesson: 'Join from the page' });
  }
});

check('page-messages', "the page shows who wrote each message, its own included, why one of its own was refused, and who is online now, all as text", async (app) => {
  const page = await openNicknamePage(app);
  await joinAs(page, 'Rae-W');
  const sam = await join(app, 'Sam-W');
  const text = 'hi from sam 77';
  await send(sam.socket, text);
  const showsIt = `[...document.querySelectorAll('#messages > li')].some((item) => item.textContent.includes('Sam-W') && item.textContent.includes(${json(text)}))`;
  if (!(await page.engine.waitUntil(showsIt, 2000))) {
    fail({
      expected: `the page to show "${text}" with its author, "Sam-W"`,
      actual: `#messages shows ${json(await page.messages())}: a message is now an object, socket.on('chat message', ({ author, text }) => show(\`\${author}: \${text}\`))`,
      lesson: 'Send and show messages',
    });
  }
  // Your own message shows at once, with your nickname; the others get it from you.
  const own = 'hi from rae 31';
  await page.send(own);
  const showsOwn = `[...document.querySelectorAll('#messages > li')].some((item) => item.textContent.includes('Rae-W') && item.textContent.includes(${json(own)}))`;
  if (!(await page.engine.waitUntil(showsOwn, 2000))) {
    fail({
      expected: `the page to show its own message, "${own}", at once, with its nickname, "Rae-W"`,
      actual: `#messages shows ${json(await page.messages())}: in the submit listener, show(\`\${socket.auth.nickname}: \${text}\`, 'mine')`,
      lesson: 'Send and show messages',
    });
  }
  if (!(await sam.received.waitUntil((r) => chatMessages(r).some((message) => (message as { text?: unknown })?.text === own)))) {
    fail({ expected: `the message typed in the page, "${own}", to reach the others`, actual: "it did not: the submit listener emits it, socket.emit('chat message', text, (answer) => { … })", lesson: 'Send and show messages' });
  }
  // The page's message was accepted: its answer, { ok: true }, adds nothing to #messages. Sam's
  // next message, shown after it, marks when that answer must have come.
  const after = 'sam again 78';
  await send(sam.socket, after);
  if (await page.engine.waitUntil(`[...document.querySelectorAll('#messages > li')].some((item) => item.textContent.includes(${json(after)}))`, 5000)) {
    const lines = await page.messages();
    const between = lines.slice(lines.findIndex((line) => line.includes(own)) + 1, lines.findIndex((line) => line.includes(after)));
    if (between.length > 0) {
      fail({
        expected: `nothing more in #messages once the server accepted "${own}", answering { ok: true }`,
        actual: `the page added ${json(between)} after it: show the answer only when it is a refusal, if (!answer.ok) show(answer.error, 'error')`,
        lesson: 'Send and show messages',
      });
    }
  }
  // A nickname is shown as text, in the list and in messages, whatever it holds.
  const marked = '<i>Ida-W</i>';
  const ida = await attempt(app, { nickname: marked });
  if (ida.connected) {
    const idaText = 'hi from ida 12';
    await send(ida.socket, idaText);
    const showsIda = `${onlineHas(marked)} && [...document.querySelectorAll('#messages > li')].some((item) => item.textContent.includes(${json(idaText)}))`;
    const made = '#online i, #messages i';
    await page.engine.waitUntil(`${showsIda} || document.querySelector(${json(made)})`, 2000);
    if ((await page.count(made)) > 0) {
      const where = (await page.count('#online i')) > 0 ? '#online' : '#messages';
      fail({
        expected: `the nickname ${marked} to be shown as text, as it is`,
        actual: `it became an <i> element in ${where}: fill ${where === '#online' ? 'each <li> of #online' : 'each line'} with item.textContent, never innerHTML`,
        lesson: 'Send and show messages',
      });
    }
    ida.socket.close();
  }
  const tooLong = 'z'.repeat(1001);
  const answer = await send(sam.socket, tooLong);
  const reason = refused(answer) ? (answer as { error: string }).error.trim() : '';
  await page.send(tooLong);
  if (!reason || !(await page.engine.waitUntil(`[...document.querySelectorAll('#messages > li')].some((item) => item.textContent.includes(${json(reason)}))`, 2000))) {
    fail({
      expected: `the page to show the server's reason when it refuses a message${reason ? ` ("${reason}")` : ''}`,
      actual: "it did not: emit with a callback, socket.emit('chat message', text, (answer) => { if (!answer.ok) show(answer.error, 'error'); })",
      lesson: 'Send and show messages',
    });
  }
  // The list is replaced each time it comes: someone who left is no longer in it.
  sam.socket.close();
  const listed = `[...document.querySelectorAll('#online li')].map((item) => item.textContent.trim())`;
  if (!(await page.engine.waitUntil(`!${listed}.includes('Sam-W') && ${listed}.filter((name) => name === 'Rae-W').length === 1`, 3000))) {
    fail({
      expected: 'the list of who is online, in the page, to drop "Sam-W" once Sam-W left, and to name "Rae-W" once',
      actual: `#online shows ${json(await page.texts('#online li'))}: replace its items with the new list each time 'online' comes, online.replaceChildren(…), rather than add to them`,
      lesson: 'Send and show messages',
    });
  }
});
