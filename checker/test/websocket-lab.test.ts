// The WebSocket lab as a reader meets it: `npm start`, the page in Chromium, a message sent and
// its frame decoded on the page, a ping asked of the server, the browser's own close checks.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { findBrowser } from '../browser/find-browser.ts';
import { defaultLabLimits } from '../site/labs/websocket/constants.ts';
import { repoRoot } from './helpers/run-kit.ts';

const kit = fileURLToPath(new URL('../kit.js', import.meta.url));
const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
let site: ChildProcess;
let base = '';

beforeAll(async () => {
  site = spawn(process.execPath, [kit, 'start'], { cwd: repoRoot, env: { ...process.env, DOCS_PORT: '0', NO_COLOR: '1' } });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    site.stdout!.on('data', (data) => {
      output += data;
      const url = /open at (http:\/\/localhost:\d+)/.exec(output)?.[1];
      if (url) {
        base = url;
        resolve();
      }
    });
    site.once('exit', () => reject(new Error(`npm start ended: ${output}`)));
  });
});

afterAll(async () => {
  const exited = once(site, 'exit');
  site.kill('SIGINT');
  await exited;
});

test('the page states the size cap the server enforces', async () => {
  const html = await (await fetch(`${base}/labs/websocket-lab/`)).text();
  expect(defaultLabLimits.maxPayload).toBe(64 * 1024);
  expect(html).toContain('<strong>64 KiB</strong> (65 536 bytes)');
  expect(html).toMatch(/<section class="lab" data-lab="websocket">[^]*npm start[^]*<\/section>/);
});

test('in Chromium: the handshake, "hello" decoded as a masked text frame, a ping, and the browser’s close checks', async () => {
  const executablePath = findBrowser();
  if (!executablePath) {
    expect(process.env['CI'], 'CI must have a browser').toBeFalsy();
    return;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: launchArgs });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${base}/labs/websocket-lab/`);
    await page.waitForFunction(() => document.querySelector('.wsl-state')?.textContent === 'open');

    // The accept value the page shows is the one the browser checked. The server's report of the
    // handshake comes over its own stream (Server-Sent Events), maybe after the socket's open event.
    await page.locator('.wsl-steps').waitFor();
    const steps = await page.locator('.wsl-steps li code').allTextContents();
    expect(steps[1]).toBe(`${steps[0]}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`);
    expect(await page.locator('.wsl-http').nth(1).textContent()).toContain(`Sec-WebSocket-Accept: ${steps[3]}`);

    await page.fill('#wsl-text', 'hello');
    await page.click('button:text("Send text")');
    const sent = page.locator('.wsl-frame[data-direction="client-to-server"][data-opcode="1"]').first();
    await sent.waitFor();
    const field = async (frame: typeof sent, name: string) => (await frame.locator(`[data-field="${name}"] dd`).textContent())?.trim();
    expect(await field(sent, 'opcode')).toBe('1 (0x1, text)');
    expect(await field(sent, 'mask')).toMatch(/^1 masked/);
    expect(await field(sent, 'length')).toMatch(/^5 in the 7-bit length field/);
    expect(await field(sent, 'unmasked')).toBe('68 65 6c 6c 6f');
    expect(await field(sent, 'text')).toBe('"hello"');
    expect(await field(sent, 'masking-key')).toMatch(/^[0-9a-f]{2}( [0-9a-f]{2}){3}$/);
    const echo = page.locator('.wsl-frame[data-direction="server-to-client"][data-opcode="1"]').first();
    await echo.waitFor();
    expect(await field(echo, 'mask')).toMatch(/^0 not masked/);

    await page.click('button:text("Ask the server to ping")');
    const pong = page.locator('.wsl-frame[data-direction="client-to-server"][data-opcode="10"]').first();
    await pong.waitFor();
    expect(await field(pong, 'mask')).toMatch(/^1 masked/);
    const ping = page.locator('.wsl-frame[data-direction="server-to-client"][data-opcode="9"]').first();
    expect(await field(pong, 'unmasked')).toBe(await field(ping, 'payload'));

    await page.fill('#wsl-close-code', '1002');
    await page.click('button:text("Close the connection")');
    await page.waitForFunction(() => document.querySelector('#wsl-close-error')?.textContent !== '');
    expect(await page.locator('#wsl-close-error').textContent()).toMatch(/^Your browser refused, and sent nothing: InvalidAccessError: .*1002/);
    expect(await page.locator('.wsl-state').textContent()).toBe('open');

    await page.fill('#wsl-close-code', '4000');
    await page.fill('#wsl-close-reason', 'bye');
    await page.click('button:text("Close the connection")');
    const serverClose = page.locator('.wsl-frame[data-direction="server-to-client"][data-opcode="8"]').first();
    await serverClose.waitFor();
    expect(await field(serverClose, 'close-code')).toBe('4000 (an application’s own code)');
    await page.waitForFunction(() => document.querySelector('.wsl-state')?.textContent === 'closed');
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
});

test('in Chromium, with no lab server behind the page (the static copy), the fallback text stays', async () => {
  const executablePath = findBrowser();
  if (!executablePath) {
    expect(process.env['CI'], 'CI must have a browser').toBeFalsy();
    return;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: launchArgs });
  try {
    const page = await browser.newPage();
    const refused = new Promise<void>((resolve) =>
      page.route('**/labs/websocket/events', async (route) => {
        await route.fulfill({ status: 404, body: 'no lab here' });
        resolve();
      }),
    );
    await page.goto(`${base}/labs/websocket-lab/`);
    await refused;
    await page.waitForFunction(() => document.readyState === 'complete');
    expect(await page.locator('section.lab').textContent()).toContain('run npm start and open this page there');
    expect(await page.locator('.wsl-lab').count()).toBe(0);
  } finally {
    await browser.close();
  }
});
