// The checks of step 07, run by `npm run check 7` against the learner's running server.
import type { Socket } from 'socket.io-client';
import { check, fail, type LearnerApp } from '../../checker/checks/check.ts';
import type { ReceivedEvents } from '../../checker/checks/socket-client.ts';
import type { ChatPage } from '../../checker/browser/chat-page.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './events.ts';

type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Client {
  socket: ChatSocket;
  received: ReceivedEvents;
}

const json = (value: unknown) => JSON.stringify(value);
const chatMessages = (received: ReceivedEvents) => received.named('chat message').map((args) => args[0]);
const onlineLists = (received: ReceivedEvents) => received.named('online').map((args) => args[0]);
const lists = (value: unknown, ...nicknames: string[]) => Array.isArray(value) && nicknames.every((nickname) => value.includes(nickname));

/** The attempt failed for want of a server, not because the server refused it. */
const connectionLost = (error: string) => /websocket error|xhr poll error|disconnected during the handshake/i.test(error);

/** Why a client that should have got in did not. */
async function describeRefusal(app: LearnerApp, error: string): Promise<string> {
  if (error === 'timeout') return 'the server never answered the handshake: every path of the middleware must call next(), with an Error to refuse';
  if (connectionLost(error)) {
    const crash = await app.crashError();
    return `the connection failed: your server seems to have stopped${crash ? ` after "${crash}"` : ''}`;
  }
  return `the server refused it with "${error}"`;
}

/** A client that joins with `nickname`; fails the check if the server refuses it. */
async function join(app: LearnerApp, nickname: string): Promise<Client> {
  const attempt = await app.tryConnect<ServerToClientEvents, ClientToServerEvents>({ auth: { nickname } });
  if (!attempt.connected) {
    fail({
      expected: `a client with the nickname "${nickname}" in its handshake (auth) to be let in`,
      actual: await describeRefusal(app, attempt.error),
      lesson: 'Check the nickname in a middleware',
    });
  }
  return attempt;
}

let newcomers = 0;

/** Fails the check, with the error that stopped it, if the server no longer lets anyone in. */
async function expectAlive(app: LearnerApp, after: string, lesson: string, advice = "a listener must never throw: check a value's type before you use it"): Promise<void> {
  newcomers += 1;
  const attempt = await app.tryConnect({ auth: { nickname: `newcomer-${newcomers}` } });
  if (attempt.connected || !connectionLost(attempt.error)) return;
  const crash = await app.crashError();
  fail({
    expected: `the server to keep running after ${after}`,
    actual: `it stopped${crash ? ` with "${crash}"` : ''}: ${advice}`,
    lesson,
  });
}

/** The server's answer to a 'chat message', or undefined if none comes within 2 s. */
async function send(socket: ChatSocket, payload: unknown): Promise<unknown> {
  try {
    return await (socket as Socket).timeout(2000).emitWithAck('chat message', payload);
  } catch {
    return undefined;
  }
}

const accepted = (answer: unknown) => (answer as { ok?: unknown } | undefined)?.ok === true;
function refused(answer: unknown): boolean {
  const { ok, error } = (answer ?? {}) as { ok?: unknown; error?: unknown };
  return ok === false && typeof error === 'string' && error.trim() !== '';
}

/** Fails the check when a message got no answer: because the server stopped, or because it never answers. */
async function failNoAnswer(app: LearnerApp, what: string, lesson: string): Promise<never> {
  await expectAlive(app, `a client sent ${what}`, lesson);
  return fail({
    expected: `the server to answer through the acknowledgement when a client sends ${what}`,
    actual: 'no answer came within 2 s: the listener takes (text, reply) and calls reply({ ok: true }) or reply({ ok: false, error: "…" }) for every message',
    lesson,
  });
}

check('nickname-required', 'a client without a nickname, with an empty or a too long one, is refused with a reason', async (app) => {
  const wrongNicknames: [what: string, auth: Record<string, unknown> | undefined][] = [
    ['no nickname', undefined],
    ['an empty nickname', { nickname: '' }],
    ['a nickname of 33 characters', { nickname: 'n'.repeat(33) }],
    ['a nickname that is a number, not text', { nickname: 42 }],
  ];
  for (const [what, auth] of wrongNicknames) {
    const attempt = await app.tryConnect({ auth });
    if (attempt.connected) {
      fail({
        expected: `the server to refuse a client with ${what}`,
        actual: `it let the client in: in io.use((socket, next) => …), call next(new Error('…why…')) unless socket.handshake.auth.nickname is text of 1 to 32 characters`,
        lesson: 'Check the nickname in a middleware',
      });
    }
    if (attempt.error === 'timeout' || connectionLost(attempt.error)) {
      await expectAlive(app, `a client tried to join with ${what}`, 'Check the nickname in a middleware', "a middleware must never throw: check typeof nickname === 'string' before you use it");
      fail({ expected: `the server to refuse a client with ${what}, and say why`, actual: await describeRefusal(app, attempt.error), lesson: 'Check the nickname in a middleware' });
    }
    if (attempt.error.trim() === '') {
      fail({
        expected: `the refusal of a client with ${what} to say why`,
        actual: "it came without a message: pass the reason to the error, as in next(new Error('Choose a nickname first.'))",
        lesson: 'Check the nickname in a middleware',
      });
    }
  }
  const longest = 'thirty-two-characters-long-name!';
  const attempt = await app.tryConnect({ auth: { nickname: longest } });
  if (!attempt.connected) {
    fail({
      expected: 'a nickname of exactly 32 characters to be let in',
      actual: `${await describeRefusal(app, attempt.error)}: refuse only nicknames longer than 32 characters`,
      lesson: 'Check the nickname in a middleware',
    });
  }
});

check('nickname-unique', 'a nickname already online is refused, whatever its case, and is free again once its owner leaves', async (app) => {
  const alice = await join(app, 'Alice-U');
  for (const [nickname, why] of [
    ['Alice-U', "refuse a nickname that a connected socket already has in socket.data.nickname"],
    ['aLICE-u', 'compare nicknames in lower case, so that "Alice" and "alice" count as the same'],
  ] as const) {
    const second = await app.tryConnect({ auth: { nickname } });
    if (second.connected) {
      fail({
        expected: `"${nickname}" to be refused while "Alice-U" is online`,
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
  let last = await app.tryConnect({ auth: { nickname: 'alice-u' } });
  while (!last.connected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await app.tryConnect({ auth: { nickname: 'alice-u' } });
  }
  if (!last.connected) {
    fail({
      expected: '"alice-u" to be free again once "Alice-U" left',
      actual: `it was still refused 2 s later (${await describeRefusal(app, last.error)}): look the nickname up among the sockets connected now, or, if you keep your own Set of names, delete it on disconnect`,
      lesson: 'Check the nickname in a middleware',
    });
  }
});

check('online-list', "everyone gets the list of who is online when someone joins, and again when someone leaves", async (app) => {
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
      actual: 'the next message got no answer within 2 s',
      lesson: 'Validate every message',
    });
  }
});

check('rate-limit', 'a client that floods the chat is refused after a few messages, and the others keep chatting', async (app) => {
  const max = await join(app, 'Max-R');
  const ned = await join(app, 'Ned-R');
  const oz = await join(app, 'Oz-R');
  const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => send(max.socket, `flood ${index + 1}`)));
  if (answers.includes(undefined)) await failNoAnswer(app, '20 messages at once', 'Limit the rate');
  const through = answers.filter(accepted).length;
  if (through === 0) {
    fail({ expected: 'the first messages of a flood to go through', actual: `all 20 were refused, the first with ${json(answers[0])}`, lesson: 'Limit the rate' });
  }
  if (!answers.some(refused)) {
    fail({
      expected: 'some of 20 messages sent at once by one client to be refused with { ok: false, error: "…" }',
      actual: `${through} of them were accepted and none refused: count each connection's messages, and refuse those over the limit (5 in each 3-second window)`,
      lesson: 'Limit the rate',
    });
  }
  const text = 'oz is still chatting 99';
  const answer = await send(oz.socket, text);
  if (!accepted(answer)) {
    fail({
      expected: "another client's message to go through while one client floods",
      actual: `the server answered ${json(answer ?? null)}: keep the count per connection, inside io.on('connection', …), not one count for everyone`,
      lesson: 'Limit the rate',
    });
  }
  if (!(await ned.received.waitUntil((r) => chatMessages(r).some((message) => (message as { text?: unknown })?.text === text)))) {
    fail({ expected: "another client's message to reach the others while one client floods", actual: 'it did not', lesson: 'Limit the rate' });
  }
  const flood = chatMessages(ned.received).filter((message) => String((message as { text?: unknown })?.text).startsWith('flood '));
  if (flood.length > through) {
    fail({
      expected: `only the ${through} accepted messages of the flood to reach the others`,
      actual: `they received ${flood.length}: return after refusing, before socket.broadcast.emit`,
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

check('page-join', 'the page asks for a nickname, shows why one is refused, joins with another and shows who is online', async (app) => {
  const anonymous = await app.tryConnect();
  const noNickname = anonymous.connected ? '' : anonymous.error.trim();
  await join(app, 'Quin-W');
  const refusal = await app.tryConnect({ auth: { nickname: 'Quin-W' } });
  const reason = refusal.connected ? '' : refusal.error.trim();
  const page = await openNicknamePage(app);
  // A page that connects as it opens has no nickname to send yet: the server's refusal shows unasked.
  if (noNickname && (await page.engine.waitUntil(`document.querySelector('#nick-error')?.textContent.includes(${json(noNickname)})`, 500))) {
    fail({
      expected: 'the page to wait for a nickname before it connects',
      actual: `it connected as soon as it opened, and shows "${noNickname}" before a nickname was typed: create the socket with io({ autoConnect: false })`,
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
});

check('page-messages', "the page shows who wrote each message, and why one of its own was refused", async (app) => {
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
});
