// The checks of step 05, run by `npm run check 5` against the learner's running server.
import type { Socket } from 'socket.io-client';
import { check, fail, unheardOr, untilUnheard, type ChatPage, type ReceivedEvents } from '../../checker/checks/check.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './events.ts';

const texts = (received: ReceivedEvents) => received.named('chat message').map((args) => args[0]);

/**
 * What two clients received when neither got the text as "chat message", and what to change:
 * the payload when "chat message" came with something else, the name when only other events came.
 */
function whatArrived(sender: ReceivedEvents, other: ReceivedEvents): string {
  const got = sender.describe() === other.describe() ? `both clients received ${sender.describe()}` : `the sender received ${sender.describe()}, the other client ${other.describe()}`;
  if (sender.events.length === 0 && other.events.length === 0) {
    return "no client received anything: in the 'chat message' listener, send it on with io.emit('chat message', text)";
  }
  if (sender.named('chat message').length > 0 || other.named('chat message').length > 0) {
    const senderLeftOut = sender.events.length === 0 ? "; and send it to every client, the sender included (socket.broadcast.emit leaves the sender out, io.emit does not)" : '';
    return `${got}: the event is the right one, but it must carry the text itself, as the client sent it: io.emit('chat message', text)${senderLeftOut}`;
  }
  const names = [...new Set([...sender.events, ...other.events].map((event) => event.name))];
  return `no client received "chat message": it got ${names.map((name) => `"${name}"`).join(', ')} instead (${got}): the event must be called "chat message"`;
}

/**
 * A page shows broadcasts only once its socket is connected, and nothing in the page says when
 * that is. So the sender says hello, again every 50 ms, until every page shows a hello; false
 * if one never does.
 */
async function waitUntilPagesListen(pages: ChatPage[], sender: Socket<ServerToClientEvents, ClientToServerEvents>): Promise<boolean> {
  const shown = `[...document.querySelectorAll('#messages > li')].some((item) => item.textContent.startsWith('(checker) hello'))`;
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
    expected: 'each message the server sends to be shown in the page as a new <li> in #messages',
    actual: problem ?? "none was shown: listen with socket.on('chat message', …) and append an <li> for each",
    lesson: 'Show incoming messages',
  });
}

check('everyone-receives', 'a message reaches every client, the sender included, exactly once', async (app) => {
  const alice = await app.connect<ServerToClientEvents, ClientToServerEvents>();
  const bob = await app.connect<ServerToClientEvents, ClientToServerEvents>();
  const bothHave = (text: string) => Promise.all([alice, bob].map(({ received }) => received.waitUntil((r) => texts(r).includes(text))));

  alice.socket.emit('chat message', 'first from alice');
  const [aliceGotIt, bobGotIt] = await untilUnheard(alice.socket.id, 'chat message', bothHave('first from alice'), [false, false]);
  if (!aliceGotIt && !bobGotIt) {
    fail({
      expected: 'every connected client to receive "chat message" with the text "first from alice" when one of them sends it',
      actual: unheardOr('chat message', whatArrived(alice.received, bob.received), alice.socket.id),
      lesson: 'Send to everyone',
    });
  }
  if (!bobGotIt) {
    fail({
      expected: 'the other clients to receive the message too',
      actual: `only the sender got it back (the sender received ${alice.received.describe()}, the other client ${bob.received.describe()}): socket.emit answers one client, io.emit reaches them all`,
      lesson: 'Send to everyone',
    });
  }
  if (!aliceGotIt) {
    fail({
      expected: 'the sender to receive its own message too (the page shows messages only when they come back)',
      actual: `everyone but the sender got it (the other client received ${bob.received.describe()}, the sender ${alice.received.describe()}): socket.broadcast.emit leaves the sender out, io.emit does not`,
      lesson: 'Send to everyone',
    });
  }

  bob.socket.emit('chat message', 'then one from bob');
  await bothHave('then one from bob');
  for (const [name, client] of [['the sender', alice], ['the other client', bob]] as const) {
    const got = texts(client.received);
    if (got.length !== 2 || got[0] !== 'first from alice' || got[1] !== 'then one from bob') {
      fail({
        expected: `${name} to receive each message once, in order: ["first from alice", "then one from bob"]`,
        actual: `it received ${JSON.stringify(got)}: is io.emit called once per message, and is io.on('connection', …) registered only once?`,
        lesson: 'Send to everyone',
      });
    }
  }
});

check('pages-show-messages', 'a message typed in one tab appears in both tabs', async (app) => {
  const [first, second] = [await app.openPage(), await app.openPage()];
  const { socket, received } = await app.connect<ServerToClientEvents, ClientToServerEvents>();
  // Both tabs must be connected before one sends, or the second could miss the message.
  if (!(await waitUntilPagesListen([first, second], socket))) failNotShown((await first.messages()).length ? second : first);
  await first.send('hello from the first tab 42');
  if (!(await received.waitUntil((r) => texts(r).includes('hello from the first tab 42')))) {
    fail({ expected: 'the message typed in the page to reach the server and come back', actual: 'it never came back', lesson: 'Show incoming messages' });
  }
  for (const [name, page] of [['the tab it was typed in', first], ['the other tab', second]] as const) {
    if (!(await page.waitForMessage('hello from the first tab 42'))) {
      const problem = page.problem();
      fail({
        expected: `${name} to show the message as a new <li> in #messages`,
        actual: problem ?? `it shows ${JSON.stringify(await page.messages())}: listen with socket.on('chat message', …) and append an <li>`,
        lesson: 'Show incoming messages',
      });
    }
  }
  const shown = await second.messages();
  if (shown.filter((text) => text.trim() === 'hello from the first tab 42').length !== 1) {
    fail({ expected: 'the message to be shown once', actual: `the other tab shows ${JSON.stringify(shown)}`, lesson: 'Show incoming messages' });
  }
});

check('text-not-html', 'a message is shown as text, never run as HTML', async (app) => {
  const page = await app.openPage();
  const attack = '<img src=x onerror=alert(1)>';
  const sender = await app.connect<ServerToClientEvents, ClientToServerEvents>();
  if (!(await waitUntilPagesListen([page], sender.socket))) failNotShown(page);
  sender.socket.emit('chat message', attack);
  await sender.received.waitUntil((r) => texts(r).includes(attack));
  // Waited for by what it became, not by a count of <li>: a hello sent before the page showed the
  // first may still arrive after it, and a new <li> then says nothing of the attack.
  const shownOrRun = `[...document.querySelectorAll('#messages > li')].some((item) => item.textContent.trim() === ${JSON.stringify(attack)}) || document.querySelector('#messages img') !== null`;
  const arrived = await page.engine.waitUntil(shownOrRun, 3000);
  if ((await page.count('#messages img')) > 0 || page.engine.dialogs.length > 0) {
    fail({
      expected: `the text ${attack} to be shown as it is`,
      actual: 'it became an <img> element (and could have run a script): set item.textContent, never item.innerHTML',
      lesson: 'Text, never HTML',
    });
  }
  if (!arrived) {
    const shown = (await page.messages()).slice(-3);
    fail({
      expected: `the text ${attack} to be shown as it is`,
      actual: page.problem() ?? `the page did not show it within 3 s (the server sent it back to the sender); its last messages are ${JSON.stringify(shown)}: show every message, markup and all, as an <li> with item.textContent = text`,
      lesson: 'Text, never HTML',
    });
  }
});

check(
  'scrolls-down',
  'the page scrolls so that the newest message is in view',
  async (app) => {
    const page = await app.openPage();
    const sender = await app.connect<ServerToClientEvents, ClientToServerEvents>();
    if (!(await waitUntilPagesListen([page], sender.socket))) failNotShown(page);
    for (let index = 1; index <= 40; index += 1) sender.socket.emit('chat message', `message number ${index}`);
    if (!(await page.waitForMessage('message number 40', 3000))) {
      fail({ expected: 'forty more messages to be shown', actual: `the page shows ${(await page.messages()).length} in all`, lesson: 'Show incoming messages' });
    }
    if (!(await page.lastMessageInView())) {
      fail({
        expected: 'the newest message to be in view after it arrives',
        actual: 'the page stayed at the top: call window.scrollTo(0, document.body.scrollHeight) after appending',
        lesson: 'Show incoming messages',
      });
    }
  },
  { needsRealBrowser: true },
);
