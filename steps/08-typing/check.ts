// The checks of step 08, run by `npm run check 8` against the learner's running server.
import type { Socket } from 'socket.io-client';
import { accepted, answerWithinMs, askServer, check, expectTypersClearedOnReconnect, fail, keepTypingUntil, pageClock, pageNow, pageShowsWithin, unheardOr, untilUnheard, waitThroughTime, type ChatPage, type CuttableProxy, type LearnerApp, type ReceivedEvents } from '../../checker/checks/check.ts';
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

/** The `event`s that arrived, as a learner reads them: `"typing" with ["bob"]`, or `"typing" with ["bob"] (2 times)`. */
function describeArrivals(received: ReceivedEvents, event: string): string {
  // The same event several times is said once, with how many times: how many came depends on the machine's speed.
  const times = new Map<string, number>();
  for (const arrival of received.events) {
    if (arrival.name !== event) continue;
    const args = JSON.stringify(arrival.args);
    times.set(args, (times.get(args) ?? 0) + 1);
  }
  if (times.size === 0) return `no "${event}"`;
  return [...times].map(([args, count]) => `"${event}" with ${args}${count > 1 ? ` (${count} times)` : ''}`).join(', ');
}

/**
 * The typer says it is typing, again every 100 ms, until `done` holds (keepTypingUntil). False if
 * `done` never holds. With `claim`, each 'typing' also says that it is someone else: the server
 * must not believe it.
 */
const keepTyping = (typer: Client, done: () => Promise<boolean>, claim?: string): Promise<boolean> =>
  keepTypingUntil(typer.socket, done, ...(claim === undefined ? [] : [claim]));

/** `typer` types until `watcher` is told so; fails the check if the watcher never is. */
async function typeUntilSeen(typer: Client, typerName: string, watcher: Client, claim?: string): Promise<void> {
  if (!(await keepTyping(typer, () => watcher.received.waitUntil((r) => r.named('typing').length > 0), claim))) {
    fail({
      expected: `the others to receive "typing" with the typer's nickname when ${typerName} emits "typing"`,
      actual: "they received nothing: inside io.on('connection', …), add socket.on('typing', () => socket.broadcast.volatile.emit('typing', nickname))",
      lesson: 'Relay typing to the others',
    });
  }
}

/** Sends a chat message and resolves with the server's answer, or undefined if none comes in time. */
const sendWithAnswer = (client: Client, text: string): Promise<unknown> => askServer(client.socket, 'chat message', text);

/** Any answer but { ok: true }: the check that uses it wants to know only that the message went nowhere. */
const notAccepted = (answer: unknown) => answer !== undefined && !accepted(answer);

/**
 * Logs in with the page's nickname form (through `via`, if given); fails the check if the page
 * never joins. With `clock`, the check can wait through the page's own timers without idling.
 */
async function joinInPage(app: LearnerApp, nickname: string, watcher: Client, { via, clock }: { via?: CuttableProxy; clock?: boolean } = {}): Promise<ChatPage> {
  const page = await app.openPage('/', { via, clock });
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

/** Starts keeping every text the line #typing shows from now on, in the page, whatever writes it. */
const recordTypingLine = `(() => {
  const line = document.querySelector('#typing');
  window.__typingLine = { before: line?.textContent ?? '', seen: [] };
  if (line) new MutationObserver(() => window.__typingLine.seen.push(line.textContent)).observe(line, { childList: true, characterData: true, subtree: true });
  return true;
})()`;
const typingLineRecord = `window.__typingLine ?? { before: '', seen: [] }`;

/**
 * When the page calls its socket `socket`: notes, in the page, how long after the last 'input' in
 * #input each 'stop typing' goes out, and counts the 'typing' it sends (the server, and volatile
 * emits, may drop some of a quick burst: the page's own count cannot be fooled). False when it cannot.
 */
const timeStopTyping = `(() => {
  const input = document.querySelector('#input');
  if (!input || typeof socket !== 'object' || typeof socket?.emit !== 'function') return false;
  const times = (window.__typingPause = { lastKeyAt: 0, pauses: [], typings: 0 });
  input.addEventListener('input', () => { times.lastKeyAt = performance.now(); }, true);
  const emit = socket.emit;
  socket.emit = function (event, ...args) {
    if (event === 'stop typing' && times.lastKeyAt) times.pauses.push(performance.now() - times.lastKeyAt);
    if (event === 'typing') times.typings += 1;
    return emit.call(this, event, ...args);
  };
  return true;
})()`;
const typingsSentByPage = 'window.__typingPause?.typings ?? 0';

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
  // Bob's client claims to be carol: the server knows better, and names him by his own nickname.
  await typeUntilSeen(bob, 'bob', alice, 'carol');
  const [first] = alice.received.named('typing');
  if (nicknameIn(first!) !== 'bob') {
    fail({
      expected: 'the others to receive "typing" with the nickname of the one who types: ["bob"], whatever his client sent with it',
      actual:
        nicknameIn(first!) === 'carol'
          ? `bob emitted "typing" with "carol", and alice received "typing" with ${JSON.stringify(first)}: the server passed on the name the client sent, so anyone could pass for anyone. Ignore what comes with 'typing' and emit the nickname the server keeps, socket.broadcast.volatile.emit('typing', nickname)`
          : `alice received "typing" with ${JSON.stringify(first)}: emit it with the nickname, socket.broadcast.volatile.emit('typing', nickname)`,
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
  // Erin's client claims to be carol: the server names her by her own nickname all the same.
  (erin.socket as Socket).emit('stop typing', 'carol');
  if (!(await untilUnheard(erin.socket.id, 'stop typing', dave.received.waitUntil((r) => r.named('stop typing').length > 0), false))) {
    fail({
      expected: 'the others to receive "stop typing" with the nickname when erin emits "stop typing"',
      actual: unheardOr('stop typing', "dave received nothing: add socket.on('stop typing', () => socket.broadcast.emit('stop typing', nickname))", erin.socket.id),
      lesson: 'Relay typing to the others',
    });
  }
  if (countFor(dave.received, 'stop typing', 'erin') === 0) {
    fail({
      expected: 'the others to receive "stop typing" with the nickname of the one who stopped: ["erin"], whatever her client sent with it',
      actual: `erin emitted "stop typing" with "carol", and dave received ${describeArrivals(dave.received, 'stop typing')}: ${
        countFor(dave.received, 'stop typing', 'carol') > 0 ? 'the server passed on the name the client sent. Ignore it and emit' : 'emit it with'
      } the nickname the server keeps, socket.broadcast.emit('stop typing', nickname)`,
      lesson: 'Relay typing to the others',
    });
  }
});

check('cleared-on-send', "a message ends its author's typing, even if their page does not say so", async (app) => {
  const frank = await join(app, 'frank');
  const grace = await join(app, 'grace');
  await typeUntilSeen(grace, 'grace', frank);
  // A message the server refuses (step 07: only spaces) is not sent: grace is still typing.
  const beforeRefused = frank.received.events.length;
  if (notAccepted(await sendWithAnswer(grace, '   '))) {
    // Frank's answer comes after anything the server sent him while it handled grace's message.
    await sendWithAnswer(frank, '   ');
    if (countFor(frank.received, 'stop typing', 'grace', beforeRefused) > 0) {
      fail({
        expected: "a message the server refuses not to end its author's typing: it was never sent",
        actual: `grace sent a message of only spaces, the server refused it, and frank received ${describeArrivals(frank.received, 'stop typing')} all the same: emit 'stop typing' once the message passed every test, just before relaying it`,
        lesson: 'Clear it on send and on leave',
      });
    }
  }
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

check('page-shows-typing', 'the page says who is typing, as text, everyone who is, and stops saying it when they stop or send', async (app) => {
  const mallory = await join(app, 'mallory');
  const page = await joinInPage(app, 'judy', mallory);
  await readTypingLine(page);
  const lineNames = (nickname: string) => `(${typingLineText}).includes(${JSON.stringify(nickname)})`;
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

  // A second typer while mallory still types, with a nickname of HTML: it must never become HTML.
  const attack = '<img src=x onerror=alert(1)>';
  const typer = await join(app, attack);
  const shown = `document.querySelector('#typing img') || ${lineNames(attack)}`;
  const whileBothType = (condition: string) => keepTyping(mallory, () => keepTyping(typer, () => page.engine.waitUntil(condition, 3000)));
  const named = await whileBothType(shown);
  if ((await page.count('#typing img')) > 0 || page.engine.dialogs.length > 0) {
    fail({
      expected: `a typer called ${attack} to be shown as "${attack} is typing…", as text`,
      actual: `the line reads ${JSON.stringify(await readTypingLine(page))}, with an <img> element in it: the nickname became HTML (and could have run a script). Set typingLine.textContent, never innerHTML`,
      lesson: 'Show who is typing',
    });
  }
  if (!named) {
    fail({
      expected: `a typer called ${attack} to be shown as "${attack} is typing…", as text`,
      actual: `it reads ${JSON.stringify(await readTypingLine(page))}`,
      lesson: 'Show who is typing',
    });
  }
  // Both at the same moment: a page that shows the last typer only flips from one to the other.
  if (!(await whileBothType(`${lineNames(attack)} && ${lineNames('mallory')}`))) {
    fail({
      expected: `the line #typing to name both mallory and ${attack} while both type, as in "mallory and ${attack} are typing…"`,
      actual: `it reads ${JSON.stringify(await readTypingLine(page))}: several people can type at once. Keep every typer (a Map from each nickname to its timer) and write all their names`,
      lesson: 'Show who is typing',
    });
  }
  const bothLine = await readTypingLine(page);
  if (bothLine.includes(`mallory${attack}`) || bothLine.includes(`${attack}mallory`)) {
    fail({
      expected: `the line #typing to name mallory and ${attack} apart, as in "mallory and ${attack} are typing…"`,
      actual: `it reads ${JSON.stringify(bothLine)}: the names run into each other. Join them with a word between, names.join(' and ')`,
      lesson: 'Show who is typing',
    });
  }

  // One of them stops: the line names the other one only. (Mallory's last 'typing' may still be
  // on its way and name her again: what counts is the line the 'stop typing' left.)
  await page.engine.evaluate(recordTypingLine);
  typer.socket.emit('stop typing');
  if (!(await page.engine.waitUntil(`!${lineNames(attack)}`, 2000))) {
    fail({
      expected: `the line #typing to stop naming ${attack} once they stop typing`,
      actual: `it still reads ${JSON.stringify(await readTypingLine(page))}: on 'stop typing', remove the nickname from the typers and write the line again`,
      lesson: 'Show who is typing',
    });
  }
  const { seen } = await page.engine.evaluate<{ seen: string[] }>(typingLineRecord);
  const leftByStop = seen.find((line) => !line.includes(attack)) ?? (await readTypingLine(page));
  if (!leftByStop.includes('mallory')) {
    fail({
      expected: `the line #typing to still name mallory, who goes on typing, once ${attack} stopped`,
      actual: `it read ${JSON.stringify(leftByStop)}: on 'stop typing', forget that nickname only (typers.delete(nickname)), not everyone`,
      lesson: 'Show who is typing',
    });
  }

  // Mallory sends her message: she is done typing, and the message shows as it did before this step.
  mallory.socket.emit('chat message', 'done typing 0812');
  if (!(await page.engine.waitUntil(`!${lineNames('mallory')}`, 2000))) {
    fail({
      expected: 'the line #typing to stop naming mallory once her message arrives',
      actual: `it still reads ${JSON.stringify(await readTypingLine(page))}: the server sends 'stop typing' before it relays a message, and the page forgets the author of a message that arrives (forgetTyper(author))`,
      lesson: 'Show who is typing',
    });
  }
  const messageShown = `[...document.querySelectorAll('#messages > li')].some((item) => item.textContent.includes('done typing 0812'))`;
  if (!(await page.engine.waitUntil(messageShown, 2000))) {
    const error = page.engine.errors[0];
    fail({
      expected: 'the message "done typing 0812" from mallory to show in #messages, as it did before this step',
      actual: error
        ? `the page failed with "${error}"`
        : `the lines of #messages are ${JSON.stringify(await page.messages())}: the 'chat message' listener forgets the author as a typer, then shows the message, show(\`\${author}: \${text}\`)`,
      lesson: 'Show who is typing',
    });
  }
  // Nobody types now: a line that still says "… are typing" has lost its names, not its typers.
  const nobodyLine = await readTypingLine(page);
  if (/^\W*(is|are)\s+typing/i.test(nobodyLine.trim())) {
    fail({
      expected: 'the line #typing to say nothing of typing once nobody types',
      actual: `it reads ${JSON.stringify(nobodyLine)}, a sentence with no name in it: when no one is left, write an empty line (names.length === 0 ? '' : …)`,
      lesson: 'Show who is typing',
    });
  }
});

check('page-sends-typing', 'typing in the page sends one "typing" per burst, then "stop typing" after a pause', async (app) => {
  const trent = await join(app, 'trent');
  const page = await joinInPage(app, 'peggy', trent, { clock: true });
  const typings = (from: number) => countFor(trent.received, 'typing', 'peggy', from);
  const stops = (from: number) => countFor(trent.received, 'stop typing', 'peggy', from);
  await page.engine.evaluate(upgraded);
  // Peggy alone types from here on: whatever her own line says meanwhile is about herself.
  await page.engine.evaluate(recordTypingLine);
  const timesPause = await page.engine.evaluate<boolean>(timeStopTyping);

  // A burst of keystrokes, then a pause. Tried again if no 'typing' came: it is volatile.
  for (let attempt = 1; ; attempt += 1) {
    const from = trent.received.events.length;
    const sentBefore = timesPause ? await page.engine.evaluate<number>(typingsSentByPage) : 0;
    await typeKeys(page, 'hello');
    // The pause is the page's own time, skipped through; then its 'stop typing' crosses the network.
    await waitThroughTime(pageClock(page), 2000, (ms) => trent.received.waitUntil(() => stops(from) > 0 || typings(from) > 1, ms), { thenRealMs: 1000 });
    const sentByPage = timesPause ? (await page.engine.evaluate<number>(typingsSentByPage)) - sentBefore : 0;
    if (typings(from) > 1 || sentByPage > 1) {
      fail({
        expected: 'one "typing" for a burst of keystrokes (debounced)',
        actual: `5 keystrokes sent "typing" ${Math.max(typings(from), sentByPage)} times: emit it only when a burst starts (if (!typing) { typing = true; … })`,
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
    if (typings(from) === 1) {
      // Timed in the page, from its last keystroke to its 'stop typing': no network delay in it.
      const pause = timesPause ? await page.engine.evaluate<number | null>('window.__typingPause?.pauses.at(-1) ?? null') : null;
      if (pause !== null && (pause < 500 || pause > 1900)) {
        fail({
          expected: '"stop typing" once the keystrokes pause for a second',
          actual: `the page sent it ${(pause / 1000).toFixed(1)} s after the last keystroke: restart a timer of 1000 ms on each keystroke, pause = setTimeout(stopTyping, 1000)`,
          lesson: 'Send typing from the page',
        });
      }
      break;
    }
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
  const { before, seen } = await page.engine.evaluate<{ before: string; seen: string[] }>(typingLineRecord);
  const aboutHerself = seen.find((text) => text.includes('peggy') || (/typing/i.test(text) && text.trim() !== before.trim()));
  if (aboutHerself !== undefined) {
    fail({
      expected: "the page of the one who types never to show them as typing: the line is about the others",
      actual: `while only peggy typed, in her own page, her line #typing read ${JSON.stringify(aboutHerself)}: write the line from the 'typing' events the server sends (never about the typer, with socket.broadcast), not from what this page's own keys do`,
      lesson: 'Show who is typing',
    });
  }
});

check('page-repeats-typing', 'a long burst of typing in the page sends "typing" again every 2 s, so that the others do not forget it, and no "stop typing" until it pauses', async (app) => {
  const rita = await join(app, 'rita');
  const page = await joinInPage(app, 'sam', rita, { clock: true });
  const typings = (from: number) => countFor(rita.received, 'typing', 'sam', from);
  const stops = (from: number) => countFor(rita.received, 'stop typing', 'sam', from);
  await page.engine.evaluate(upgraded);
  const countsInPage = await page.engine.evaluate<boolean>(timeStopTyping);
  const stopsSentByPage = async () => (countsInPage ? await page.engine.evaluate<number>('window.__typingPause?.pauses.length ?? 0') : 0);
  const from = rita.received.events.length;
  // The longest time between two keys, in the page's time: the checker skips the page's clock
  // 0.3 s on between two keys, and a busy machine may add to it.
  let lastKeyAt = await pageNow(page);
  let longestGap = 0;
  const press = async (key: string) => {
    longestGap = Math.max(longestGap, (await pageNow(page)) - lastKeyAt);
    await typeKeys(page, key);
    lastKeyAt = await pageNow(page);
  };
  // A key every 0.3 s of the page's time, sooner when the "typing" waited for is in.
  const pause = (until: () => boolean) => waitThroughTime(pageClock(page), 300, (ms) => rita.received.waitUntil(until, ms));
  await press('a');
  for (let key = 0; key < 20 && typings(from) === 0; key += 1) {
    await pause(() => typings(from) > 0);
    await press('b');
  }
  if (typings(from) === 0 && !(await rita.received.waitUntil(() => typings(from) > 0, answerWithinMs))) {
    fail({ expected: '"typing" when keys are pressed in #input', actual: "none came within 6 s of keystrokes: on #input's 'input' event, emit 'typing' when a burst starts", lesson: 'Send typing from the page' });
  }
  const firstAt = await pageNow(page);
  while (typings(from) < 2 && (await pageNow(page)) - firstAt < 5000) {
    await pause(() => typings(from) > 1);
    await press('c');
  }
  // Counted before any further wait, in which the burst is over and a "stop typing" is due.
  const stopsInBurst = Math.max(stops(from), await stopsSentByPage());
  if (typings(from) < 2) await rita.received.waitUntil(() => typings(from) > 1, answerWithinMs);
  if (stopsInBurst > 0 && longestGap < 700) {
    fail({
      expected: 'no "stop typing" while keys keep coming: each keystroke pushes the pause of a second back',
      actual: `keys pressed every ${(longestGap / 1000).toFixed(1)} s at most sent "stop typing" ${stopsInBurst} time(s) in the middle of the burst: on every 'input' event, cancel the timer and start it again, clearTimeout(pause); pause = setTimeout(stopTyping, 1000)`,
      lesson: 'Send typing from the page',
    });
  }
  if (typings(from) < 2) {
    fail({
      expected: 'a new "typing" about every 2 s while keys keep coming: the others forget a typer after 5 s without one',
      actual: 'keys pressed every 0.3 s for 5 s sent "typing" once: on a keystroke 2 s or more after the last "typing", send it again (if (input.value && (!typing || Date.now() - typingSentAt >= typingAgainMs)) { … })',
      lesson: 'Send typing from the page',
    });
  }
});

/**
 * How page-forgets-typing skips the page's clock: half a second at a time, and with no real time
 * between two skips, since only the page's own timers change its line then (nothing is on its way
 * from the server: each "typing" is waited for before the clock moves on).
 */
const pageTimersAlone = { stepMs: 500, realSliceMs: 0 };

check('page-forgets-typing', 'the page keeps a typer on the line while "typing" comes every 2 s, and forgets one it has not heard from for 5 s, even when no "stop typing" comes', async (app) => {
  const oscar = await join(app, 'oscar');
  const page = await joinInPage(app, 'olga', oscar, { clock: true });
  const lesson = 'Forget who went quiet';
  const names = `(${typingLineText}).includes('oscar')`;
  // Over long-polling, a volatile 'typing' may be dropped on its way to the page: wait for the WebSocket.
  await page.engine.evaluate(upgraded);
  const firstTypingAt = await pageNow(page);
  if (!(await keepTyping(oscar, () => page.engine.waitUntil(names, 3000)))) {
    const error = page.engine.errors[0];
    fail({
      expected: 'the line #typing to read "oscar is typing…" when oscar types',
      actual: error ? `the page failed with "${error}"` : `it reads ${JSON.stringify(await readTypingLine(page))}`,
      lesson: 'Show who is typing',
    });
  }
  // Oscar stops, then starts again at once: the timer of his first "typing" must not cut the new
  // burst short (forgetTyper() clears it, as a new "typing" does).
  oscar.socket.emit('stop typing');
  await page.engine.waitUntil(`!${names}`, 2000);
  if (!(await keepTyping(oscar, () => page.engine.waitUntil(names, 3000)))) {
    fail({
      expected: 'the line #typing to read "oscar is typing…" again when oscar types again after he stopped',
      actual: `it reads ${JSON.stringify(await readTypingLine(page))}`,
      lesson: 'Show who is typing',
    });
  }
  // Oscar goes on typing, as a typer's page says it: "typing" again every 2 s (three in a row,
  // should one be dropped). The line must stay on until 2.5 s after the last. Times are the page's
  // own: the checker skips its clock on through the waits.
  const shownAt = await pageNow(page);
  let lastTypingAt = shownAt;
  for (const at of [2000, 4000, 6500]) {
    if (await pageShowsWithin(page, `!${names}`, shownAt + at - (await pageNow(page)), pageTimersAlone)) {
      const wentOffAt = await pageNow(page);
      const sinceLast = (wentOffAt - lastTypingAt) / 1000;
      const sinceFirst = (wentOffAt - firstTypingAt) / 1000;
      fail({
        expected: 'the line #typing to keep naming oscar while "typing" keeps coming from him every 2 s',
        actual: `it went off ${sinceLast.toFixed(1)} s after the last "typing", ${sinceFirst.toFixed(1)} s after the first, and reads ${JSON.stringify(await readTypingLine(page))}: ${
          lastTypingAt > shownAt && sinceLast < 2.5 && sinceFirst >= 4
            ? "the timer of his first \"typing\", before he stopped, was still running: on each 'typing', clear the typer's timer before you set a new one, and in forgetTyper() too, clearTimeout(typers.get(nickname))"
            : 'a page must wait well over the 2 s between two "typing" before it forgets a typer: 5 s (typingExpiryMs)'
        }`,
        lesson,
      });
    }
    if (at === 6500) break;
    const framesBefore = page.engine.framesReceived?.length ?? 0;
    // The page's clock is not skipped past a "typing" still on its way. An engine that cannot
    // tell when a frame comes (jsdom) gets three, as a page's burst of keystrokes might send.
    const waitForFrame = page.engine.waitForFrame?.bind(page.engine);
    if (waitForFrame) await keepTypingUntil(oscar.socket, () => waitForFrame(/^42\["typing"/, framesBefore, answerWithinMs));
    else for (let again = 0; again < 3; again += 1) oscar.socket.emit('typing');
    lastTypingAt = await pageNow(page);
  }
  // Then nothing more from oscar, not even a "stop typing": the page forgets him by itself.
  const deadlineMs = 9000;
  if (await pageShowsWithin(page, `!${names}`, lastTypingAt + deadlineMs - (await pageNow(page)), pageTimersAlone)) return;
  fail({
    expected: 'the line #typing to stop naming oscar about 5 s after the last "typing" from them, even though no "stop typing" came (it may have been lost)',
    actual: `it still reads ${JSON.stringify(await readTypingLine(page))} ${deadlineMs / 1000} s later: on each 'typing', (re)start a timer for that typer, setTimeout(forgetTyper, 5000, nickname), and clear it when they stop`,
    lesson,
  });
});

check('page-clears-typing-on-reconnect', 'a page that loses its connection and gets it back shows nobody typing until they type again', async (app) => {
  const proxy = await app.proxy();
  const victor = await join(app, 'victor');
  const page = await joinInPage(app, 'wanda', victor, { via: proxy });
  await expectTypersClearedOnReconnect(page, proxy, { nickname: 'victor', socket: victor.socket }, 'wanda', 'Forget who went quiet');
});
