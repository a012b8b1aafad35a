// The checks of step 01, run by `npm run check 1` against the learner's running server.
import { check, fail, portNamedInEnvironment } from '../../checker/checks/check.ts';

check('hello-heading', 'GET / answers with the heading "Hello world"', async (app) => {
  const answer = await app.get('/');
  if (answer.status !== 200) {
    fail({
      expected: 'GET / to answer with status 200',
      actual: `it answered ${answer.status}${answer.status === 404 ? ' (Not Found): is there an app.get(\'/\', …) route?' : ''}`,
      lesson: 'Answer GET /',
    });
  }
  if (!/<h1[^>]*>\s*hello,?\s+world\W*<\/h1>/i.test(answer.body)) {
    fail({
      expected: 'the page to be <h1>Hello world</h1>',
      actual: `it was ${JSON.stringify(answer.body.slice(0, 120))}`,
      lesson: 'Answer GET /',
    });
  }
});

check('logs-url', 'the server logs the URL to open once it listens', async (app) => {
  const url = /https?:\/\/(localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0)(:\d+)?/i;
  if (!(await app.log.waitFor(url))) {
    fail({
      expected: 'a log line with the address, such as "server running at http://localhost:3000"',
      actual: app.log.lines.length ? `the server printed ${JSON.stringify(app.log.tail(3).join(' / '))}` : 'the server printed nothing',
      lesson: 'Listen and say where',
    });
  }
});

check('port-from-env', 'the server listens on the port named in PORT', async (app) => {
  if (app.askedPort === portNamedInEnvironment) return;
  fail({
    expected: `the server to listen on the port in the environment variable PORT (the checker started it with PORT=${portNamedInEnvironment})`,
    actual:
      app.askedPort === undefined
        ? 'it called listen() without a port: pass it the port, as in server.listen(port, …) with const port = Number(process.env.PORT) || 3000'
        : `it asked for port ${app.askedPort}: read PORT first, with const port = Number(process.env.PORT) || 3000, and give that port to listen()`,
    lesson: 'Listen and say where',
  });
});
