// The page checks run in a real browser where one is installed (on CI it must be), and in
// jsdom where none is: both engines judge the same page the same way.
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { findBrowser } from '../browser/find-browser.ts';
import { launchBrowser } from '../browser/launch-browser.ts';
import { kitTemporaryFiles } from './helpers/kit-temporary-files.ts';
import { runKit } from './helpers/run-kit.ts';
import { makeVariant, type Variant } from './helpers/variant.ts';

const made: Variant[] = [];
afterAll(() => made.forEach((variant) => variant.remove()));

test('a browser is found (required on CI, where a missing one must fail the run)', () => {
  if (process.env['CI']) expect(findBrowser(), 'no Chrome or Chromium found: install Debian\'s chromium-headless-shell').toBeDefined();
  else expect(findBrowser() === undefined || typeof findBrowser() === 'string').toBe(true);
});

test('with a browser, the checker says it checked pages in Chromium, and leaves nothing in the temporary folder', async () => {
  if (!findBrowser()) return;
  const scratch = mkdtempSync(join(tmpdir(), 'browser-test-tmp-'));
  try {
    const run = await runKit(['check', '2', '--solution'], { TMPDIR: scratch });
    expect(run.output).toContain('pages checked in Chromium');
    expect(run.code).toBe(0);
    // The browser's profile, and what playwright keeps for its connection, go with the browser.
    expect(kitTemporaryFiles(readdirSync(scratch))).toEqual([]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('a browser the checker launched, once closed, has ended and left no profile folder behind', async () => {
  const executablePath = findBrowser();
  if (!executablePath) return;
  const launched = await launchBrowser(executablePath);
  const devtools = new URL(launched.wsEndpoint.replace(/^ws:/, 'http:'));
  expect(existsSync(launched.profile)).toBe(true);
  expect((await fetch(new URL('/json/version', devtools))).ok).toBe(true);
  await launched.close();
  expect(existsSync(launched.profile)).toBe(false);
  await expect(fetch(new URL('/json/version', devtools))).rejects.toThrow();
});

test('in jsdom, the step 05 solution passes and says which engine it used', async () => {
  const run = await runKit(['check', '5', '--solution'], { CHECK_ENGINE: 'jsdom' });
  expect(run.output).toContain('pages checked in jsdom (CHECK_ENGINE=jsdom)');
  expect(run.output).toMatch(/not checked: needs a real browser/);
  expect(run.code).toBe(0);
});

test('in jsdom, innerHTML is caught too', async () => {
  const variant = makeVariant('05-broadcast', { 'index.html': [['item.textContent = text;', 'item.innerHTML = text;']] });
  made.push(variant);
  const run = await runKit(['check', '5', '--dir', variant.dir], { CHECK_ENGINE: 'jsdom' });
  expect(run.output).toMatch(/never item\.innerHTML/);
  expect(run.code).toBe(1);
});

test('a browser that fails to start: the pages are checked in jsdom, and the reason is given', async () => {
  const variant = makeVariant('02-serve-html', { 'not-a-browser.sh': { replaceWith: '#!/bin/sh\necho "no display here" >&2\nexit 3\n' } });
  made.push(variant);
  chmodSync(join(variant.dir, 'not-a-browser.sh'), 0o755);
  const run = await runKit(['check', '2', '--solution'], { CHROME_PATH: join(variant.dir, 'not-a-browser.sh') });
  expect(run.output).toMatch(/pages checked in jsdom \(.*not-a-browser\.sh did not start: it exited with code 3: no display here\)/);
  expect(run.code).toBe(0);
});

test('a CHROME_PATH that leads nowhere gets one sentence', async () => {
  const run = await runKit(['check', '2', '--solution'], { CHROME_PATH: '/nowhere/chrome' });
  expect(run.output).toMatch(/CHROME_PATH is set to \/nowhere\/chrome, but no browser can be started from there/);
  expect(run.output).not.toMatch(/\n\s+at /);
  expect(run.code).not.toBe(0);
});
