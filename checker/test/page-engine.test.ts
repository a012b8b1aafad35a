// The Chromium engine's waits and typing (browser/chromium-engine.ts), which run in the page by
// evaluate alone: what a check waits for is seen whether the document shows it or not, across a
// page that loads itself again, and a field is typed into as a person would, or the learner is told
// why it could not be.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatPage } from '../browser/chat-page.ts';
import { openChromiumPage } from '../browser/chromium-engine.ts';
import { findBrowser } from '../browser/find-browser.ts';
import { launchBrowser, type LaunchedBrowser } from '../browser/launch-browser.ts';

/** Pages by path, each a small script: no Socket.IO needed to wait or to type. */
const pages: Record<string, string> = {
  '/later-item': `<ul id="messages"></ul><script>
    setTimeout(() => { const item = document.createElement('li'); item.textContent = 'hello'; document.getElementById('messages').append(item); }, 300);
  </script>`,
  '/later-flag': `<script>setTimeout(() => { window.ready = true; }, 300);</script>`,
  '/loads-twice': `<script>
    if (sessionStorage.getItem('loaded')) window.secondLoad = true;
    else { sessionStorage.setItem('loaded', 'yes'); setTimeout(() => location.reload(), 200); }
  </script>`,
  '/form': `<form id="form" hidden><input id="input" value="left over"><button>Send</button></form><ul id="sent"></ul><script>
    const form = document.getElementById('form');
    const input = document.getElementById('input');
    setTimeout(() => { form.hidden = false; }, 300);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const item = document.createElement('li');
      item.textContent = input.value;
      document.getElementById('sent').append(item);
      input.value = '';
    });
  </script>`,
  '/no-field': `<p>Nothing to type into here.</p>`,
  // No preventDefault: Enter sends the form, and the page comes back with ?text=… (slowly, below).
  '/reloading-form': `<form><input id="input" name="text"><button>Send</button></form>`,
  '/disabled-field': `<form><input id="input" disabled><button>Send</button></form>`,
};

const chromium = findBrowser();
let browser: LaunchedBrowser | undefined;
let server: Server | undefined;
let origin = '';
beforeAll(async () => {
  if (!chromium) return;
  browser = await launchBrowser(chromium);
  server = createServer((request, response) => {
    const { pathname, search } = new URL(request.url ?? '/', 'http://localhost');
    const page = pages[pathname];
    const answer = () => response.writeHead(page ? 200 : 404, { 'content-type': 'text/html' }).end(page ? `<!doctype html><title>t</title>${page}` : '');
    // The page a form sent comes late: the old page is still there meanwhile, for a check to find.
    if (search) setTimeout(answer, 300);
    else answer();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await browser?.close();
});

async function open(path: string): Promise<ChatPage> {
  return new ChatPage(await openChromiumPage(browser!, `${origin}${path}`, 4000));
}

describe.runIf(chromium).concurrent('in Chromium', () => {
  test('a wait ends true once the document shows what it waits for', async () => {
    const page = await open('/later-item');
    expect(await page.waitForMessage('hello', 4000)).toBe(true);
    await page.close();
  });

  test('a wait ends true on what the document does not show, such as a variable of the page', async () => {
    const page = await open('/later-flag');
    expect(await page.engine.waitUntil('window.ready === true', 4000)).toBe(true);
    await page.close();
  });

  test('a wait ends false when it never comes, once its time is up', async () => {
    const page = await open('/later-flag');
    const started = performance.now();
    expect(await page.engine.waitUntil('window.never === true', 500)).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(490);
    await page.close();
  });

  test('a wait goes on in the page that replaced the one it began in', async () => {
    const page = await open('/loads-twice');
    expect(await page.engine.waitUntil('window.secondLoad === true', 4000)).toBe(true);
    await page.close();
  });

  test('a wait whose expression throws in the page throws what the page threw', async () => {
    const page = await open('/later-flag');
    await expect(page.engine.waitUntil('nothingHere.anything', 1000)).rejects.toThrow(/nothingHere is not defined/);
    await page.close();
  });

  test('a field is typed into once it shows, replacing what it held, and Enter submits its form', async () => {
    const page = await open('/form');
    await page.send('first');
    expect(await page.engine.waitUntil(`document.querySelectorAll('#sent > li').length === 1`, 4000)).toBe(true);
    await page.engine.evaluate(`document.getElementById('input').value = 'typed before', true`);
    await page.send('second');
    expect(await page.engine.waitUntil(`document.querySelectorAll('#sent > li').length === 2`, 4000)).toBe(true);
    expect(await page.texts('#sent > li')).toEqual(['first', 'second']);
    await page.close();
  });

  test('Enter in a form that reloads the page returns once the new page is there', async () => {
    const page = await open('/reloading-form');
    await page.engine.evaluate('window.marked = true');
    await page.send('hello');
    expect(await page.engine.evaluate('[location.search, window.marked === true]')).toEqual(['?text=hello', false]);
    await page.close();
  });

  test('a missing field is named', async () => {
    const page = await open('/no-field');
    await expect(page.send('hello')).rejects.toThrow('there is no #input to type into (none appeared within 5 s)');
    await page.close();
  });

  test('a field that never takes text is named, with why', async () => {
    const page = await open('/disabled-field');
    await expect(page.send('hello')).rejects.toThrow('the field #input could not be typed into within 5 s: it stayed hidden, disabled or read-only');
    await page.close();
  });
});
