// The checks of step 06, run by `npm run check 6` against the learner's running server.
import type { Socket } from 'socket.io-client';
import { check, fail, words, type ChatPage, type LearnerApp, type ReceivedEvents } from '../../checker/checks/check.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './events.ts';

type Client = Awaited<ReturnType<typeof connect>>;
type Received = ReceivedEvents['events'];

/** The error that stopped the server, as it printed it on stderr, with the line of index.ts it names. */
function crashOf(app: LearnerApp): string | undefined {
  const stderr = app.log.lines.filter((line) => line.stream === 'stderr').map((line) => line.text);
  const error = stderr.filter((text) => /\w*Error\b/.test(text)).at(-1)?.trim();
  const where = stderr.map((text) => /index\.(?:ts|html):\d+/.exec(text)?.[0]).find(Boolean);
  return error && `"${error}"${where ? ` (${where})` : ''}`;
}

/** A client, connected; fails the check, with the error that stopped the server if it did. */
async function connect(app: LearnerApp) {
  let attempt = await app.tryConnect<ServerToClientEvents, ClientToServerEvents>();
  // A busy machine can take more than the 5 s of one attempt to answer a handshake: try again.
  for (let again = 0; again < 2 && !attempt.connected && attempt.error === 'timeout'; again += 1) {
    attempt = await app.tryConnect<ServerToClientEvents, ClientToServerEvents>();
  }
  if (!attempt.connected) {
    const crash = crashOf(app);
    fail({
      expected: 'a Socket.IO client to connect to your server',
      actual: crash
        ? `it could not (${attempt.error}): your server stopped, after ${crash}. A listener that throws stops the whole server, for everyone`
        : `it could not (${attempt.error}): is \`new Server(server)\` given the same server that listens?`,
    });
  }
  return { socket: attempt.socket, received: attempt.received };
}

const textsOf = (events: Received, name: string) => events.filter((event) => event.name === name).map((event) => String(event.args[0]));
const messages = (received: ReceivedEvents) => textsOf(received.events, 'chat message');
const list = (texts: string[]) => texts.map((text) => JSON.stringify(text)).join(', ');
/** A page expression: true once a line of #messages contains the text (a page may add a name or a mark around it). */
const showsLine = (text: string) => `[...document.querySelectorAll('#messages > li')].some((item) => item.textContent.includes(${JSON.stringify(text)}))`;
const linesWith = async (page: ChatPage, text: string) => (await page.messages()).filter((line) => line.includes(text)).length;
interface Look {
  classes: string;
  align: string;
  font: string;
  all: string;
}
/**
 * How the first line of #messages that contains `text` looks, but for its place in the list (every
 * other line has its own background): its classes and those inside it, its own style, and the
 * computed alignment, font and colour. Two lines set apart from each other differ in one of these.
 */
const lookOf = (page: ChatPage, text: string) =>
  page.engine.evaluate<Look | null>(`(() => {
    const item = [...document.querySelectorAll('#messages > li')].find((line) => line.textContent.includes(${JSON.stringify(text)}));
    if (!item) return null;
    const style = getComputedStyle(item);
    const classes = [item, ...item.querySelectorAll('*')].map((element) => element.getAttribute('class') ?? '').join(' ').trim();
    return {
      classes,
      align: style.textAlign,
      font: style.fontStyle + ' ' + style.fontWeight,
      all: [classes, item.getAttribute('style') ?? '', style.textAlign, style.fontStyle, style.fontWeight, style.color, style.marginLeft, style.marginRight, style.direction].join('|'),
    };
  })()`);
const sameLook = (first: Look | null, second: Look | null) => first !== null && second !== null && first.all === second.all;
const describeLook = (look: Look) =>
  `${look.classes ? `class ${JSON.stringify(look.classes)}` : 'no class'}, ${look.align.replace('start', 'left')}-aligned, ${look.font.replace(' 400', '').replace('normal', 'upright')}`;

// Notices are read the way a person reads them: any wording that says someone joined (or left) will do.
const joinWords = new Set(['join', 'joins', 'joined', 'joining', 'connected', 'connects', 'arrived', 'arrives', 'entered', 'enters', 'came', 'online']);
const leaveWords = new Set(['left', 'leave', 'leaves', 'leaving', 'disconnected', 'disconnects', 'gone', 'quit', 'quits', 'exited', 'exits', 'departed', 'offline']);
const saysJoined = (text: string) => words(text).some((word) => joinWords.has(word)) && !words(text).some((word) => leaveWords.has(word));
const saysLeft = (text: string) => words(text).some((word) => leaveWords.has(word));

/** Events received before the chat message `marker`; all of them when it never came. */
function before(received: ReceivedEvents, marker: string): Received {
  const index = received.events.findIndex((event) => event.name === 'chat message' && event.args[0] === marker);
  return index === -1 ? received.events : received.events.slice(0, index);
}

/** Names of events other than `notice` and `chat message`, to point at a misspelt event. */
function otherEvents(received: ReceivedEvents): string {
  const names = [...new Set(received.events.map((event) => event.name).filter((name) => name !== 'notice' && name !== 'chat message'))];
  return names.length ? ` (only ${names.map((name) => `"${name}"`).join(', ')}: the event must be called "notice")` : '';
}

/** What the other clients received instead of a chat message `text`, with the payloads, and what to change. */
function notReceived(others: Client[], text: string): string {
  const missed = others.filter(({ received }) => !messages(received).includes(text));
  const who = missed.length === others.length ? 'none of them' : 'only some of them';
  const got = missed.map(({ received }) => received.describe({ except: ['notice'] }));
  const other = got.find((events) => events !== 'nothing');
  if (!other) return `${who} received it: in the 'chat message' listener, send it on with socket.broadcast.emit('chat message', text)`;
  if (missed.some(({ received }) => received.named('chat message').length > 0)) {
    return `${who} received it as sent: a client that missed it got ${other}. The event is the right one, but it must carry the text itself, as the sender sent it: socket.broadcast.emit('chat message', text)`;
  }
  return `${who} received "chat message": a client that missed it got ${other} instead. The event must be called "chat message"`;
}

/**
 * Each client sends the other a chat message and waits for it. The server sends it after
 * everything it sent that client before, so once it is there, whatever came before it is all
 * there will be: a marker proves that something did *not* come.
 */
async function exchangeMarkers(first: Client, second: Client, tag: string): Promise<{ toFirst: string; toSecond: string }> {
  const markers = { toFirst: `(checker) marker ${tag} for the first`, toSecond: `(checker) marker ${tag} for the second` };
  first.socket.emit('chat message', markers.toSecond);
  second.socket.emit('chat message', markers.toFirst);
  await Promise.all([
    first.received.waitUntil((r) => messages(r).includes(markers.toFirst)),
    second.received.waitUntil((r) => messages(r).includes(markers.toSecond)),
  ]);
  return markers;
}

/**
 * A page shows messages only once its socket is connected, and nothing in the page says when
 * that is. So another client says hello, again every 50 ms, until every page shows a hello;
 * false if one never does.
 */
async function waitUntilPagesListen(pages: ChatPage[], sender: Socket<ServerToClientEvents, ClientToServerEvents>): Promise<boolean> {
  const shown = showsLine('(checker) hello');
  let count = 0;
  const sayHello = () => sender.emit('chat message', `(checker) hello ${(count += 1)}`);
  sayHello();
  const timer = setInterval(sayHello, 50);
  try {
    return (await Promise.all(pages.map((page) => page.engine.waitUntil(shown, 3000)))).every(Boolean);
  } finally {
    clearInterval(timer);
  }
}

function failNotShown(page: ChatPage): never {
  const problem = page.problem();
  return fail({
    expected: 'a message from another client to be shown in the page as a new <li> in #messages',
    actual: problem ?? "none was shown: the page must listen with socket.on('chat message', (text) => show(text)), and the server send each message on with socket.broadcast.emit",
    lesson: 'Show messages and notices',
  });
}

check('notices-join', 'when a client connects, every other client gets a notice, and the newcomer does not', async (app) => {
  const present = await connect(app);
  const from = present.received.events.length;
  const newcomer = await connect(app);
  const joinNotices = (events: Received) => textsOf(events, 'notice').filter(saysJoined);
  if (!(await present.received.waitUntil((r) => joinNotices(r.events.slice(from)).length > 0))) {
    const got = textsOf(present.received.events.slice(from), 'notice');
    const asMessage = messages(present.received).filter(saysJoined);
    const aboutItself = joinNotices(present.received.events.slice(0, from));
    fail({
      expected: 'the client already connected to get a "notice" that says someone joined, such as "a user joined", when another client connects',
      actual: got.length
        ? `it got ${list(got)}, which does not say that someone joined`
        : aboutItself.length
          ? `it got no notice when another client connected, only ${list(aboutItself)} about its own arrival: socket.emit answers the newcomer only; socket.broadcast.emit reaches everyone but it`
          : asMessage.length
            ? `it got ${list(asMessage)} as a "chat message": send it as a "notice", so that the page can show it apart`
            : `it got no notice${otherEvents(present.received)}: in io.on('connection', …), call socket.broadcast.emit('notice', 'a user joined')`,
      lesson: 'Announce arrivals and departures',
    });
  }
  const markers = await exchangeMarkers(present, newcomer, 'join');
  const toldItself = joinNotices(before(newcomer.received, markers.toSecond));
  if (toldItself.length > 0) {
    // With io.emit, the first client was told of its own arrival too: two notices in all.
    const onlyToNewcomers = joinNotices(before(present.received, markers.toFirst)).length < 2;
    fail({
      expected: 'the newcomer not to be told that someone joined: it is the one who did',
      actual: onlyToNewcomers
        ? `it got ${list(toldItself)} about itself, and the client already there was not told: socket.emit answers the newcomer only; socket.broadcast.emit reaches everyone but it`
        : `it got ${list(toldItself)} about itself: io.emit sends to every client, the newcomer included; socket.broadcast.emit leaves it out`,
      lesson: 'Announce arrivals and departures',
    });
  }
  const told = joinNotices(before(present.received, markers.toFirst).slice(from));
  if (told.length !== 1) {
    fail({
      expected: 'the client already connected to be told once that one client joined',
      actual: `it got ${told.length} notices: ${list(told)}: emit the notice once per connection, and register io.on('connection', …) only once`,
      lesson: 'Announce arrivals and departures',
    });
  }
});

check('notices-leave', 'when a client disconnects, every client still connected gets a notice, once', async (app) => {
  const staying = await connect(app);
  const leaving = await connect(app);
  const witness = await connect(app);
  const stayers = [staying, witness];
  // The witness's message reaches `staying` after the notices of every arrival: once it is in,
  // those are behind us. The client that leaves sends nothing: leaving alone must be announced.
  const arrived = '(checker) marker after the arrivals';
  witness.socket.emit('chat message', arrived);
  await staying.received.waitUntil((r) => messages(r).includes(arrived));
  const from = stayers.map(({ received }) => received.events.length);
  const leftNotices = (client: Client, until?: string) => {
    const events = client.received.events.slice(from[stayers.indexOf(client)]);
    const end = until === undefined ? -1 : events.findIndex((event) => event.name === 'chat message' && event.args[0] === until);
    return textsOf(end === -1 ? events : events.slice(0, end), 'notice').filter(saysLeft);
  };
  leaving.socket.close();
  const told = await Promise.all(stayers.map((client) => client.received.waitUntil(() => leftNotices(client).length > 0)));
  if (!told.every(Boolean)) {
    const missed = stayers[told.indexOf(false)]!;
    const got = textsOf(missed.received.events.slice(from[stayers.indexOf(missed)]), 'notice');
    const crash = missed.socket.connected ? undefined : crashOf(app);
    fail({
      expected: 'every client still connected to get a "notice" that says someone left, such as "a user left", when a client disconnects',
      actual: crash
        ? `your server stopped when the client left, after ${crash}: the 'disconnect' listener threw`
        : got.length
          ? `they got ${list(got)}, and none of it says that someone left`
          : told.some(Boolean)
            ? "only some of them got one: send it to everyone but the one who left, socket.broadcast.emit('notice', 'a user left')"
            : `they got no notice${otherEvents(missed.received)}: in socket.on('disconnect', …), call socket.broadcast.emit('notice', 'a user left'); register that listener straight in io.on('connection', …), so that it exists for every client, even one that never sent a message`,
      lesson: 'Announce arrivals and departures',
    });
  }
  // Anything more the server sends about that departure reaches `staying` before this marker.
  const after = '(checker) marker after the departure';
  witness.socket.emit('chat message', after);
  await staying.received.waitUntil((r) => messages(r).includes(after));
  const notices = leftNotices(staying, after);
  if (notices.length !== 1) {
    fail({
      expected: 'the clients still connected to be told once that one client left',
      actual: `one got ${notices.length} notices: ${list(notices)}: send the notice once, from the 'disconnect' listener`,
      lesson: 'Announce arrivals and departures',
    });
  }
});

check('others-receive', 'a message reaches every other client exactly once, and never comes back to its sender', async (app) => {
  const [alice, bob, carol] = [await connect(app), await connect(app), await connect(app)];
  const sendAndWait = async (from: Client, text: string, to: Client[]) => {
    from.socket.emit('chat message', text);
    return Promise.all(to.map(({ received }) => received.waitUntil((r) => messages(r).includes(text))));
  };

  const [bobGotIt, carolGotIt] = await sendAndWait(alice, 'first from alice', [bob, carol]);
  if (!bobGotIt || !carolGotIt) {
    const onlySender = messages(alice.received).includes('first from alice');
    fail({
      expected: 'every other client to receive "chat message" when one client sends one',
      actual: onlySender
        ? 'only the sender got it back: socket.emit answers one client; socket.broadcast.emit reaches all the others'
        : notReceived([bob, carol], 'first from alice'),
      lesson: 'Relay to the others only',
    });
  }
  // Each later message reaches its client after anything the server sent it before: a marker.
  await sendAndWait(bob, 'then one from bob', [alice, carol]);
  await sendAndWait(alice, 'last from alice', [bob, carol]);

  const echoed = [
    ['first from alice', alice, 'then one from bob'],
    ['then one from bob', bob, 'last from alice'],
  ] as const;
  for (const [text, sender, marker] of echoed) {
    if (textsOf(before(sender.received, marker), 'chat message').includes(text)) {
      fail({
        expected: 'the sender not to get its own message back: its page shows it already',
        actual: `"${text}" came back to the client that sent it, so its page would show it twice: io.emit sends to every client, the sender included; socket.broadcast.emit leaves the sender out`,
        lesson: 'Relay to the others only',
      });
    }
  }
  const wanted = [
    ['the first sender', alice, ['then one from bob']],
    ['the second sender', bob, ['first from alice', 'last from alice']],
    ['the client that only listens', carol, ['first from alice', 'then one from bob', 'last from alice']],
  ] as const;
  for (const [name, client, texts] of wanted) {
    const got = messages(client.received);
    if (JSON.stringify(got) !== JSON.stringify(texts)) {
      fail({
        expected: `${name} to receive each message of the others once, in order: ${JSON.stringify(texts)}`,
        actual: `it received ${JSON.stringify(got)}: is socket.broadcast.emit called once per message, and io.on('connection', …) registered only once?`,
        lesson: 'Relay to the others only',
      });
    }
  }
});

check('page-shows-own', 'a message typed in the page shows there at once, exactly once and as yours, and messages from others show too', async (app) => {
  const page = await app.openPage();
  const other = await connect(app);
  if (!(await waitUntilPagesListen([page], other.socket))) failNotShown(page);

  const typed = 'hello from this tab 42';
  await page.send(typed);
  if (!(await page.engine.waitUntil(showsLine(typed), 2000))) {
    const problem = page.problem();
    fail({
      expected: `the message typed in the page, ${JSON.stringify(typed)}, to be shown in that page at once`,
      actual: problem ?? `it shows ${JSON.stringify(await page.messages())}: the server sends a message to the others only, so the page must show its own itself: call show(input.value, 'mine') in the submit listener`,
      lesson: 'Show your own message at once',
    });
  }
  if (!(await other.received.waitUntil((r) => messages(r).includes(typed)))) {
    fail({
      expected: 'the message typed in the page to reach the other clients too',
      actual: "it never did: does the submit listener still call socket.emit('chat message', input.value)?",
      lesson: 'Show your own message at once',
    });
  }
  // Anything the server sends the page about its message comes before this marker.
  const marker = '(checker) marker after the typed message';
  other.socket.emit('chat message', marker);
  if (!(await page.engine.waitUntil(showsLine(marker), 2000))) failNotShown(page);
  const shown = await linesWith(page, typed);
  if (shown !== 1) {
    fail({
      expected: 'the message typed in the page to be shown there once',
      actual: `it is shown ${shown} times: the page shows it when it is sent, so the server must not send it back to its sender (socket.broadcast.emit, not io.emit), and the submit listener must call show() once`,
      lesson: 'Show your own message at once',
    });
  }
  const markerShown = await linesWith(page, marker);
  if (markerShown !== 1) {
    fail({
      expected: 'a message from another client to be shown in the page once',
      actual: `it is shown ${markerShown} times: is the old 'chat message' listener still there beside the new one? Keep only socket.on('chat message', (text) => show(text))`,
      lesson: 'Show messages and notices',
    });
  }
  const [own, others] = [await lookOf(page, typed), await lookOf(page, marker)];
  if (sameLook(own, others)) {
    fail({
      expected: "the message typed in the page to be shown as yours, set apart from the others' messages (the page's style puts a line of class mine on the right)",
      actual: `it looks just like a message from another client (${describeLook(own!)}): show it with the kind 'mine', show(input.value, 'mine'), and the others' messages without one, show(text)`,
      lesson: 'Show your own message at once',
    });
  }
});

check('page-shows-notice', 'a notice appears in the page, as text, set apart from chat messages', async (app) => {
  // The watcher connects first, so that it gets every notice the page could get.
  const watcher = await connect(app);
  const page = await app.openPage();
  const shownBefore = (await page.messages()).length;
  const sent = () => textsOf(watcher.received.events, 'notice').filter(Boolean);
  const showsANotice = () =>
    `[...document.querySelectorAll('#messages > li')].slice(${shownBefore}).some((item) => ${JSON.stringify(sent())}.some((notice) => item.textContent.includes(notice)))`;
  // The page hears notices only once its socket is connected, and nothing in the page says when
  // that is. So a client joins, again and again, until the page shows a notice.
  let shown = false;
  for (let joined = 0; joined < 12 && !shown; joined += 1) {
    const count = sent().length;
    await connect(app);
    const announced = await watcher.received.waitUntil(() => sent().length > count, joined === 0 ? 2000 : 300);
    if (!announced && sent().length === 0) {
      fail({
        expected: 'the server to send a "notice" when a client joins, for the page to show',
        actual: "it sent none: first make the server announce arrivals with socket.broadcast.emit('notice', 'a user joined')",
        lesson: 'Announce arrivals and departures',
      });
    }
    shown = await page.engine.waitUntil(showsANotice(), 200);
  }
  if (!shown) {
    const problem = page.problem();
    fail({
      expected: `the page to show each notice as a new <li> in #messages, such as ${JSON.stringify(sent()[0])}`,
      actual: problem ?? `it shows ${JSON.stringify((await page.messages()).slice(shownBefore))}: listen with socket.on('notice', (text) => show(text, 'notice'))`,
      lesson: 'Show messages and notices',
    });
  }
  // A notice is not a chat message: the page shows it apart. A message for comparison:
  const message = '(checker) a message beside the notices';
  watcher.socket.emit('chat message', message);
  if (!(await page.engine.waitUntil(showsLine(message), 2000))) failNotShown(page);
  const shownNotice = (await page.messages()).slice(shownBefore).flatMap((line) => sent().filter((notice) => line.includes(notice)))[0]!;
  const [notice, chat] = [await lookOf(page, shownNotice), await lookOf(page, message)];
  if (sameLook(notice, chat)) {
    fail({
      expected: "a notice to be shown apart from the chat messages (the page's style centres a line of class notice, in italics)",
      actual: `${JSON.stringify(shownNotice)} looks just like a chat message (${describeLook(notice!)}): show it with the kind 'notice', socket.on('notice', (text) => show(text, 'notice'))`,
      lesson: 'Show messages and notices',
    });
  }
});

check('text-not-html', 'a message is shown as text, never run as HTML', async (app) => {
  const page = await app.openPage();
  const sender = await connect(app);
  if (!(await waitUntilPagesListen([page], sender.socket))) failNotShown(page);
  const attack = '<img src=x onerror=alert(1)>';
  sender.socket.emit('chat message', attack);
  await page.engine.waitUntil(`document.querySelector('#messages img') || ${showsLine(attack)}`, 2000);
  const images = await page.count('#messages img');
  if (images === 0 && page.engine.dialogs.length === 0 && (await linesWith(page, attack)) === 0) failNotShown(page);
  if (images > 0 || page.engine.dialogs.length > 0) {
    fail({
      expected: `the text ${attack} to be shown as it is`,
      actual: 'it became an <img> element (and could have run a script): in show(), set item.textContent, never item.innerHTML',
      lesson: 'One function to show a line',
    });
  }
});

check(
  'scrolls-down',
  'every line shown scrolls the page so that the newest is in view',
  async (app) => {
    const page = await app.openPage();
    const sender = await connect(app);
    if (!(await waitUntilPagesListen([page], sender.socket))) failNotShown(page);
    for (let index = 1; index <= 40; index += 1) sender.socket.emit('chat message', `line number ${index}`);
    if (!(await page.engine.waitUntil(showsLine('line number 40'), 5000))) failNotShown(page);
    if (!(await page.lastMessageInView())) {
      fail({
        expected: 'the newest line to be in view once it is shown',
        actual: 'the page stayed at the top after 40 messages: in show(), call window.scrollTo(0, document.body.scrollHeight) after appending the line',
        lesson: 'One function to show a line',
      });
    }
  },
  { needsRealBrowser: true },
);
