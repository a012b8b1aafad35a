// The checks of step 04, run by `npm run check 4` against the learner's running server.
import { check, fail, unheardEventNames, unheardOr, untilUnheard, type ChatPage, type LearnerApp } from '../../checker/checks/check.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './events.ts';

/**
 * Opens the page and gives it time to connect (the server logs "a user connected"). Not
 * required: the Socket.IO client keeps what is emitted before it connects and sends it after.
 */
async function openConnectedPage(app: LearnerApp): Promise<ChatPage> {
  const mark = app.log.mark();
  const page = await app.openPage();
  await app.log.waitFor('a user connected', { from: mark, timeoutMs: 2000 });
  return page;
}

/** The server's "message" line from `from` on, when it is not the one wanted, quoted with `advice`; undefined if it logged none. */
function loggedInstead(app: LearnerApp, from: number, advice: string): string | undefined {
  const line = app.log.find('message', from)?.text;
  if (line === undefined) return undefined;
  const object = line.includes('[object Object]') ? ' ([object Object] is how an object reads as text)' : '';
  return `the server logged ${JSON.stringify(line)} instead${object}: ${advice}`;
}

check('logs-messages', 'the server logs each chat message it receives', async (app) => {
  const { socket } = await app.connect<ServerToClientEvents, ClientToServerEvents>();
  const mark = app.log.mark();
  socket.emit('chat message', 'a checker says hi 3141');
  if (!(await untilUnheard(socket.id, 'chat message', app.log.waitFor('message: a checker says hi 3141', { from: mark }), undefined))) {
    // A line with the text but not the word "message" before it: the text logged alone, say.
    const bare = app.log.find('a checker says hi 3141', mark)?.text;
    fail({
      expected: 'the server to log "message: a checker says hi 3141" when a client emits it as "chat message"',
      actual: bare
        ? `it logged ${JSON.stringify(bare)}: start the line with "message: ", console.log(\`message: \${text}\`)`
        : unheardOr(
            'chat message',
            loggedInstead(app, mark, 'the client sent the text itself, a string: log it as it came') ??
              'it logged nothing like it: inside io.on(\'connection\', …), listen with socket.on(\'chat message\', (text) => …), the event name spelt exactly so',
            socket.id,
          ),
      lesson: 'Listen on the server',
    });
  }
});

/** What the page sent that nothing on the server listens for, said so, or undefined if nothing. */
function sentUnheard(): string | undefined {
  const others = unheardEventNames().map((name) => JSON.stringify(name));
  const misnamed = others.length === 0 ? undefined : `the page sent ${others.join(' and ')}, and nothing on your server listens for ${others.length > 1 ? 'them' : 'it'}: the page and the server must use the same event name, socket.emit('chat message', input.value)`;
  return unheardOr('chat message', misnamed);
}

check('page-emits', 'typing a message and pressing Enter sends it to the server and clears the field', async (app) => {
  const page = await openConnectedPage(app);
  await page.engine.evaluate('window.__notReloaded = true');
  const mark = app.log.mark();
  await page.send('hello from the page 2718');
  const logged = await app.log.waitFor('message: hello from the page 2718', { from: mark });
  if (!(await page.engine.evaluate<boolean>('window.__notReloaded === true'))) {
    fail({
      expected: 'the page to stay as it is when the form is submitted',
      actual: 'the page reloaded: call event.preventDefault() first thing in the submit listener',
      lesson: 'Emit from the page',
    });
  }
  if (!logged) {
    fail({
      expected: 'the server to log "message: hello from the page 2718" after it was typed and sent',
      actual:
        page.problem() ??
        loggedInstead(app, mark, "the page must send the text itself, socket.emit('chat message', input.value)") ??
        sentUnheard() ??
        'nothing arrived: does the form\'s submit listener call socket.emit(\'chat message\', input.value)?',
      lesson: 'Emit from the page',
    });
  }
  const left = await page.value('#input');
  if (left !== '') {
    fail({ expected: 'the text field to be empty after sending', actual: `it still holds ${JSON.stringify(left)}`, lesson: 'Emit from the page' });
  }
});

check('no-empty-messages', 'an empty field sends nothing', async (app) => {
  const page = await openConnectedPage(app);
  const mark = app.log.mark();
  await page.send('');
  await page.send('after the empty one 1618');
  const logged = await app.log.waitFor('message: after the empty one 1618', { from: mark });
  if (!logged) {
    fail({ expected: 'a message typed after an empty one to arrive', actual: 'it did not', lesson: 'Emit from the page' });
  }
  const before = app.log.findAll('message', mark).filter((line) => !line.text.includes('after the empty one'));
  if (before.length > 0) {
    fail({
      expected: 'nothing to be sent when the field is empty',
      actual: `the server logged ${JSON.stringify(before[0]!.text)} first: only emit when input.value is not empty`,
      lesson: 'Emit from the page',
    });
  }
});
