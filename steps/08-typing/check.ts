// The checks of step 08, run by `npm run check 8` against the learner's running server.
import { check, fail, type LearnerApp } from '../../checker/checks/check.ts';
import type { ReceivedEvents } from '../../checker/checks/socket-client.ts';
import type { ChatPage } from '../../checker/browser/chat-page.ts';
import type { CuttableProxy } from '../../checker/checks/cuttable-proxy.ts';
import { expectTyperForgotten, expectTypersClearedOnReconnect } from '../../checker/checks/typing-line.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './events.ts';

/** Each check uses nicknames of its own: the server refuses one still online from a check before. */
const join = (app: LearnerApp, nickname: string) => app.connect<ServerToClientEvents, ClientToServerEvents>({ auth: { nickname } });
type Client = Awaited<ReturnType<typeof join>>;

/** Who an event names: its payload is a nickname (or, as some write it, an object { nickname }). */
function nicknameIn([payload]: unknown[]): unknown {
  return typeof payload === 'object' && payload !== null ? (payload as { nickname?: unknown }).nickname : payload;
}

/** How many times `event` arrived with `nickname`, counting from the event at index `from`. */
function countFor(received: ReceivedEvents, event: string, nickname: string, from = 0): number {
  return received.events.slice(from).filter((got) => got.name === event && nicknameIn(got.args) === nickname).length;
}

/** The `event`s that arrived, as a learner reads them: `"typing" with ["bob"]`. */
function describeArrivals(received: ReceivedEvents, event: string): string {
  const got = received.events.filter((arrival) => arrival.name === event);
  return got.length ? got.map((arrival) => `"${event}" with ${JSON.stringify(arrival.args)}`).join(', ') : `no "${event}"`;
}

/**
 * The typer says it is typing, again every 100 ms, until `done` holds: 'typing' is volatile, and
 * a volatile event may be dropped when the connection is busy at that moment. False if `done`
 * never holds.
 */
async function keepTyping(typer: Client, done: () => Promise<boolean>): Promise<boolean> {
  const sayTyping = () => typer.socket.emit('typing');
  sayTyping();
  const timer = setInterval(sayTyping, 100);
  try {
    return await done();
  } finally {
    clearInterval(timer);
  }
}

/** `typer` types until `watcher` is told so; fails the check if the watcher never is. */
async function typeUntilSeen(typer: Client, typerName: string, watcher: Client): Promise<void> {
  if (!(await keepTyping(typer, () => watcher.received.waitUntil((r) => r.named('typing').length > 0)))) {
    fail({
      expected: `the others to receive "typing" with the typer's nickname when ${typerName} emits "typing"`,
      actual: "they received nothing: inside io.on('connection', …), add socket.on('typing', () => socket.broadcast.volatile.emit('typing', nickname))",
      lesson: 'Relay typing to the others',
    });
  }
}

/** Logs in with the page's nickname form (through `via`, if given); fails the check if the page never joins. */
async function joinInPage(app: LearnerApp, nickname: string, watcher: Client, via?: CuttableProxy): Promise<ChatPage> {
  const page = await app.openPage('/', { via });
  await page.engine.typeAndSubmit('#nick', nickname);
  const online = (r: ReceivedEvents) => r.named('online').some(([nicknames]) => Array.isArray(nicknames) && nicknames.includes(nickname));
  if (!(await watcher.received.waitUntil(online, 3000))) {
    const error = page.engine.errors[0];
    fail({
      expected: `the page to join the chat as ${nickname} once the nickname is submitted in #nick-form (step 07)`,
      actual: error ? `the page failed with "${error}"` : 'it did not join: the "online" list never named it',
    });
  }
  return page;
}

const typingLineText = `document.querySelector('#typing')?.textContent ?? null`;

async function readTypingLine(page: ChatPage): Promise<string> {
  const text = await page.engine.evaluate<string | null>(typingLineText);
  if (text === null) {
    fail({
      expected: 'a line <p id="typing"></p> in the page, to say who is typing',
      actual: 'the page has no element with id="typing"',
      lesson: 'Show who is typing',
    });
  }
  return text;
}

/**
 * Resolves once the page's connection runs on a WebSocket, when the page calls its socket
 * `socket`: while a connection upgrades from HTTP long-polling, volatile emits are dropped, and a
 * page sending 'typing' on every keystroke could look debounced. At once when it cannot tell.
 */
const upgraded = `new Promise((resolve) => {
  const engine = typeof socket === 'object' ? socket?.io?.engine : undefined;
  if (!engine || engine.transport?.name === 'websocket') return resolve();
  engine.once('upgrade', () => resolve());
  setTimeout(resolve, 2000);
})`;

/** A key pressed in #input the way a browser reports it: keydown, keypress, input, keyup. */
const pressKey = (key: string) => `(() => {
  const input = document.querySelector('#input');
  input.focus();
  const init = { key: ${JSON.stringify(key)}, bubbles: true, cancelable: true };
  if (input.dispatchEvent(new KeyboardEvent('keydown', init)) && input.dispatchEvent(new KeyboardEvent('keypress', init))) {
    input.value += ${JSON.stringify(key)};
    input.dispatchEvent(new InputEvent('input', { bubbles: true, data: ${JSON.stringify(key)}, inputType: 'insertText' }));
  }
  input.dispatchEvent(new KeyboardEvent('keyup', init));
})()`;

/** Types each key in a task of its own, as a person does, only much faster. */
async function typeKeys(page: ChatPage, keys: string): Promise<void> {
  for (const key of keys) await page.engine.evaluate(pressKey(key));
}

check('typing-relayed', 'when someone types, the others are told who it is, and the typer is not', async (app) => {
  const alice = await join(app, 'alice');
  const bob = await join(app, 'bob');
  await typeUntilSeen(bob, 'bob', alice);
  const [first] = alice.received.named('typing');
  if (nicknameIn(first!) !== 'bob') {
    fail({
      expected: 'the others to receive "typing" with the nickname of the one who types: ["bob"]',
      actual: `alice received "typing" with ${JSON.stringify(first)}: emit it with the nickname, socket.broadcast.volatile.emit('typing', nickname)`,
      lesson: 'Relay typing to the others',
    });
  }
  // A message from alice reaches bob after anything the server sent him before it.
  alice.socket.emit('chat message', 'the marker after typing');
  await bob.received.waitUntil((r) => r.named('chat message').length > 0);
  if (bob.received.named('typing').length > 0) {
    fail({
      expected: 'the one who types not to be told about it',
      actual: `bob received ${describeArrivals(bob.received, 'typing')} about himself: io.emit reaches everyone, socket.broadcast.emit everyone but the typer`,
      lesson: 'Relay typing to the others',
    });
  }
});

check('stop-relayed', 'when someone stops typing, the others are told who it is', async (app) => {
  const dave = await join(app, 'dave');
  const erin = await join(app, 'erin');
  await typeUntilSeen(erin, 'erin', dave);
  erin.socket.emit('stop typing');
  if (!(await dave.received.waitUntil((r) => r.named('stop typing').length > 0))) {
    fail({
      expected: 'the others to receive "stop typing" with the nickname when erin emits "stop typing"',
      actual: "dave received nothing: add socket.on('stop typing', () => socket.broadcast.emit('stop typing', nickname))",
      lesson: 'Relay typing to the others',
    });
  }
  if (countFor(dave.received, 'stop typing', 'erin') === 0) {
    fail({
      expected: 'the others to receive "stop typing" with the nickname of the one who stopped: ["erin"]',
      actual: `dave received ${describeArrivals(dave.received, 'stop typing')}: emit it with the nickname`,
      lesson: 'Relay typing to the others',
    });
  }
});

check('cleared-on-send', "a message ends its author's typing, even if their page does not say so", async (app) => {
  const frank = await join(app, 'frank');
  const grace = await join(app, 'grace');
  await typeUntilSeen(grace, 'grace', frank);
  grace.socket.emit('chat message', 'typed and sent');
  const gotMessage = await frank.received.waitUntil((r) => r.named('chat message').length > 0);
  // The server emits both from the same listener: once the message is in, the other is close behind.
  if (!(await frank.received.waitUntil((r) => countFor(r, 'stop typing', 'grace') > 0, 1000))) {
    fail({
      expected: 'the others to receive "stop typing" with grace\'s nickname when the server relays a message from her',
      actual: `${gotMessage ? 'frank got the message, but' : 'frank got'} ${describeArrivals(frank.received, 'stop typing')}: in the 'chat message' listener, before relaying it, add socket.broadcast.emit('stop typing', nickname)`,
      lesson: 'Clear it on send and on leave',
    });
  }
});

check('cleared-on-leave', 'someone who leaves while typing is no longer shown as typing', async (app) => {
  const heidi = await join(app, 'heidi');
  const ivan = await join(app, 'ivan');
  await typeUntilSeen(ivan, 'ivan', heidi);
  ivan.socket.disconnect();
  if (!(await heidi.received.waitUntil((r) => countFor(r, 'stop typing', 'ivan') > 0))) {
    fail({
      expected: 'the others to receive "stop typing" with ivan\'s nickname when ivan disconnects while typing',
      actual: `heidi got ${describeArrivals(heidi.received, 'stop typing')}: in socket.on('disconnect', …), add socket.broadcast.emit('stop typing', nickname)`,
      lesson: 'Clear it on send and on leave',
    });
  }
});

check('page-shows-typing', 'the page says who is typing, as text, and stops saying it when they stop', async (app) => {
  const mallory = await join(app, 'mallory');
  const page = await joinInPage(app, 'judy', mallory);
  await readTypingLine(page);
  const shows = `/mallory.*typing/i.test(${typingLineText})`;
  if (!(await keepTyping(mallory, () => page.engine.waitUntil(shows, 3000)))) {
    const error = page.engine.errors[0];
    fail({
      expected: 'the line #typing to read "mallory is typing…" when mallory types',
      actual: error
        ? `the page failed with "${error}"`
        : `it reads ${JSON.stringify(await readTypingLine(page))}: on 'typing', add the nickname to the typers and write the line with textContent`,
      lesson: 'Show who is typing',
    });
  }
  mallory.socket.emit('stop typing');
  if (!(await page.engine.waitUntil(`!(${typingLineText}).includes('mallory')`, 2000))) {
    fail({
      expected: 'the line #typing to stop naming mallory once mallory stops typing',
      actual: `it still reads ${JSON.stringify(await readTypingLine(page))}: on 'stop typing', remove the nickname from the typers and write the line again`,
      lesson: 'Show who is typing',
    });
  }

  // A nickname is whatever someone chose: it must never become HTML.
  const attack = '<img src=x onerror=alert(1)>';
  const typer = await join(app, attack);
  const shown = `document.querySelector('#typing img') || (${typingLineText}).includes(${JSON.stringify(attack)})`;
  await keepTyping(typer, () => page.engine.waitUntil(shown, 3000));
  const text = await readTypingLine(page);
  if ((await page.count('#typing img')) > 0 || page.engine.dialogs.length > 0 || !text.includes(attack)) {
    fail({
      expected: `a typer called ${attack} to be shown as "${attack} is typing…", as text`,
      actual: /typing/i.test(text)
        ? `the line reads ${JSON.stringify(text)}: the nickname became HTML (and could have run a script). Set typingLine.textContent, never innerHTML`
        : `it reads ${JSON.stringify(text)}`,
      lesson: 'Show who is typing',
    });
  }
});

check('page-sends-typing', 'typing in the page sends one "typing" per burst, then "stop typing" after a pause', async (app) => {
  const trent = await join(app, 'trent');
  const page = await joinInPage(app, 'peggy', trent);
  const typings = (from: number) => countFor(trent.received, 'typing', 'peggy', from);
  const stops = (from: number) => countFor(trent.received, 'stop typing', 'peggy', from);
  await page.engine.evaluate(upgraded);

  // A burst of keystrokes, then a pause. Tried again if no 'typing' came: it is volatile.
  for (let attempt = 1; ; attempt += 1) {
    const from = trent.received.events.length;
    await typeKeys(page, 'hello');
    await trent.received.waitUntil(() => stops(from) > 0 || typings(from) > 1, 3000);
    if (typings(from) > 1) {
      fail({
        expected: 'one "typing" for a burst of keystrokes (debounced)',
        actual: '5 keystrokes sent "typing" more than once: emit it only when a burst starts (if (!typing) { typing = true; … })',
        lesson: 'Send typing from the page',
      });
    }
    if (stops(from) === 0) {
      const error = page.engine.errors[0];
      fail({
        expected: '"typing" when keys are pressed in #input, then "stop typing" once they pause',
        actual: error
          ? `the page failed with "${error}"`
          : typings(from) === 0
            ? "the page sent neither: on #input's 'input' event, emit 'typing' once, then 'stop typing' after a pause"
            : `"typing" came, but no "stop typing" within 3 s of the last key: start a timer (setTimeout) on each keystroke that emits 'stop typing'`,
        lesson: 'Send typing from the page',
      });
    }
    if (typings(from) === 1) break;
    if (attempt === 3) {
      fail({
        expected: '"typing" when keys are pressed in #input',
        actual: `the page sent "stop typing" after the pause, but never "typing": emit it when a burst starts, socket.volatile.emit('typing')`,
        lesson: 'Send typing from the page',
      });
    }
  }

  const typedAgain = trent.received.events.length;
  await typeKeys(page, ' you');
  if (!(await trent.received.waitUntil(() => typings(typedAgain) > 0))) {
    fail({
      expected: 'a new "typing" when keys are pressed again after a pause',
      actual: "none came: once 'stop typing' is sent, the next keystroke must start a new burst (set typing = false when you stop)",
      lesson: 'Send typing from the page',
    });
  }
  await page.send('hello you');
  await trent.received.waitUntil((r) => r.named('chat message').length > 0);
  const afterSend = trent.received.events.length;
  await typeKeys(page, 'ok');
  if (!(await trent.received.waitUntil(() => typings(afterSend) > 0, 1500))) {
    fail({
      expected: 'a new "typing" when keys are pressed right after sending a message',
      actual: "none came: the page still thought it was typing. Sending ends typing: call stopTyping() in the form's submit listener",
      lesson: 'Send typing from the page',
    });
  }
});

check('page-repeats-typing', 'a long burst of typing in the page sends "typing" again every 2 s, so that the others do not forget it', async (app) => {
  const rita = await join(app, 'rita');
  const page = await joinInPage(app, 'sam', rita);
  const typings = (from: number) => countFor(rita.received, 'typing', 'sam', from);
  await page.engine.evaluate(upgraded);
  const from = rita.received.events.length;
  // A key every 0.3 s, at most: the wait for the next "typing" sets the pace.
  await typeKeys(page, 'a');
  for (let key = 0; key < 20 && typings(from) === 0; key += 1) {
    await rita.received.waitUntil(() => typings(from) > 0, 300);
    await typeKeys(page, 'b');
  }
  if (typings(from) === 0) {
    fail({ expected: '"typing" when keys are pressed in #input', actual: "none came within 6 s of keystrokes: on #input's 'input' event, emit 'typing' when a burst starts", lesson: 'Send typing from the page' });
  }
  const firstAt = performance.now();
  while (typings(from) < 2 && performance.now() - firstAt < 5000) {
    await rita.received.waitUntil(() => typings(from) > 1, 300);
    await typeKeys(page, 'c');
  }
  if (typings(from) < 2) {
    fail({
      expected: 'a new "typing" about every 2 s while keys keep coming: the others forget a typer after 5 s without one',
      actual: 'keys pressed every 0.3 s for 5 s sent "typing" once: on a keystroke 2 s or more after the last "typing", send it again (if (input.value && (!typing || Date.now() - typingSentAt >= typingAgainMs)) { … })',
      lesson: 'Send typing from the page',
    });
  }
});

check('page-forgets-typing', 'the page forgets a typer it has not heard from for 5 s, even when no "stop typing" comes', async (app) => {
  const oscar = await join(app, 'oscar');
  const page = await joinInPage(app, 'olga', oscar);
  await expectTyperForgotten(page, { nickname: 'oscar', socket: oscar.socket }, 'Forget who went quiet');
});

check('page-clears-typing-on-reconnect', 'a page that loses its connection and gets it back shows nobody typing until they type again', async (app) => {
  const proxy = await app.proxy();
  const victor = await join(app, 'victor');
  const page = await joinInPage(app, 'wanda', victor, proxy);
  await expectTypersClearedOnReconnect(page, proxy, { nickname: 'victor', socket: victor.socket }, 'wanda', 'Forget who went quiet');
});
