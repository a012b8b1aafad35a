// The checks of step 02, run by `npm run check 2` against the learner's running server.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { check, fail } from '../../checker/checks/check.ts';

check('serves-index-html', 'GET / sends the file index.html', async (app) => {
  const answer = await app.get('/');
  const file = await readFile(join(app.learnerDir, 'index.html'), 'utf8');
  if (answer.status !== 200) {
    const why = /must be absolute/i.test(answer.body)
      ? ': res.sendFile needs an absolute path, built with fileURLToPath(new URL(\'./index.html\', import.meta.url))'
      : /ENOENT|no such file/i.test(answer.body)
        ? ': the file was not found at the path given to res.sendFile (ENOENT)'
        : '';
    // Otherwise a route that threw: Express prints the error, which names the learner's line.
    const error = why === '' && answer.status >= 500 ? await app.describeServerError(answer.body) : undefined;
    fail({ expected: 'GET / to answer with status 200', actual: `it answered ${answer.status}${why}${error ? `, with the error ${error}` : ''}`, lesson: 'Send the file' });
  }
  if (answer.body !== file) {
    fail({
      expected: 'GET / to send exactly the content of index.html',
      actual: /<h1[^>]*>\s*hello/i.test(answer.body) && !answer.body.includes('id="messages"')
        ? 'it still sends the Hello world heading of step 01: replace res.send(…) with res.sendFile(…)'
        : `it sent something else (${JSON.stringify(answer.body.slice(0, 80))}…)`,
      lesson: 'Send the file',
    });
  }
  if (!answer.contentType.startsWith('text/html')) {
    fail({ expected: 'the page to be sent as text/html', actual: `it was sent as "${answer.contentType}"`, lesson: 'Send the file' });
  }
});

check('chat-elements', 'the page has the message list, the form, its text field and a Send button', async (app) => {
  const page = await app.openPage();
  const wanted: [selector: string, description: string][] = [
    ['ul#messages', 'a list <ul id="messages">'],
    ['form#form', 'a form <form id="form">'],
    ['form#form input#input', 'a text field <input id="input"> inside the form'],
    ['form#form button, form#form input[type=submit]', 'a button inside the form'],
  ];
  for (const [selector, description] of wanted) {
    const count = await page.count(selector);
    if (count !== 1) {
      fail({
        expected: `the page to have ${description}`,
        actual: count === 0 ? 'there is none' : `there are ${count} (ids must be unique)`,
        lesson: 'Write the chat page',
      });
    }
  }
});
