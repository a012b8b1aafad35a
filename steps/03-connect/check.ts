// The checks of step 03, run by `npm run check 3` against the learner's running server.
import { check, fail, type ChatPage } from '../../checker/checks/check.ts';

check('client-script', 'the server hands out the Socket.IO client at /socket.io/socket.io.js', async (app) => {
  const answer = await app.get('/socket.io/socket.io.js');
  if (answer.status !== 200 || !/javascript/.test(answer.contentType)) {
    fail({
      expected: 'GET /socket.io/socket.io.js to answer with the client library',
      actual: `it answered ${answer.status}: is the Socket.IO server created with \`new Server(server)\` on the same server that listens (server.listen, not app.listen)?`,
      lesson: 'Attach Socket.IO to the server',
    });
  }
});

/** Why a page did not connect, from what the page itself reported. */
function explainNoConnection(page: ChatPage): string {
  const problem = page.problem();
  // A script that did not load comes first: it is also why io would not be defined.
  if (problem?.startsWith('the page could not load')) return problem;
  const notDefined = page.engine.errors.find((error) => /\bio\b.*not defined|io is not a function/i.test(error));
  if (notDefined) return `the page failed with "${notDefined}": add <script src="/socket.io/socket.io.js"></script> before the script that calls io()`;
  return problem ?? 'nothing was logged: does the page call io(), and does io.on(\'connection\', …) log "a user connected"?';
}

check('logs-connect', 'opening the page logs "a user connected" on the server', async (app) => {
  const mark = app.log.mark();
  const page = await app.openPage();
  if (!(await app.log.waitFor('a user connected', { from: mark, timeoutMs: 3000 }))) {
    fail({ expected: 'the server to log "a user connected" when the page opens', actual: explainNoConnection(page), lesson: 'Connect from the page' });
  }
});

check('logs-disconnect', 'closing the page logs "user disconnected", and not before', async (app) => {
  const connects = () => app.log.findAll('a user connected').length;
  const disconnects = () => app.log.findAll('user disconnected').length;
  // Let earlier checks' pages finish saying goodbye, so that every line from now on is this check's.
  await app.log.waitUntil(() => disconnects() >= connects(), 2000);
  const before = { connects: connects(), disconnects: disconnects() };
  const page = await app.openPage();
  if (!(await app.log.waitUntil(() => connects() > before.connects, 3000))) {
    fail({ expected: 'the page to connect first', actual: await explainNoConnection(page), lesson: 'Connect from the page' });
  }
  // A second connection, later: once its line is in, everything the page's connection printed
  // at once is in too (a process's output keeps its order), so an early goodbye cannot slip by.
  await app.connect();
  await app.log.waitUntil(() => connects() > before.connects + 1, 2000);
  if (disconnects() > before.disconnects) {
    fail({
      expected: '"user disconnected" only once the page closes',
      actual: 'it was logged while the page was still open: log it inside socket.on(\'disconnect\', …)',
      lesson: 'Say goodbye',
    });
  }
  await page.close();
  if (!(await app.log.waitUntil(() => disconnects() > before.disconnects, 3000))) {
    fail({
      expected: 'the server to log "user disconnected" when the page closes',
      actual: 'nothing was logged: inside io.on(\'connection\', (socket) => …), add socket.on(\'disconnect\', …)',
      lesson: 'Say goodbye',
    });
  }
});
