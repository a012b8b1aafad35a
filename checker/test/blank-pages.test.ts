// Blank pages made ahead of a judgement (browser/chromium-engine.ts): two at least, and as many as
// the last judgement opened, so that `npm run watch` of a step with many page checks finds each
// page made, and a judgement that opens few (a wrong variant judged by one check) makes no more.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { closeBlankPages, connectChromium, openChromiumPage, prepareBlankPages } from '../browser/chromium-engine.ts';
import { findBrowser } from '../browser/find-browser.ts';
import { launchBrowser, type LaunchedBrowser } from '../browser/launch-browser.ts';
import { eventually } from './helpers/eventually.ts';

const chromium = findBrowser();
let launched: LaunchedBrowser | undefined;
beforeAll(async () => {
  if (chromium) launched = await launchBrowser(chromium);
});
afterAll(async () => {
  await closeBlankPages();
  await launched?.close();
});

/** Opens `count` pages as checks do, and closes them. */
async function openPages(count: number): Promise<void> {
  for (let opened = 0; opened < count; opened++) await (await openChromiumPage(launched!, 'about:blank', 4000)).close();
}

describe.runIf(chromium)('blank pages made ahead', () => {
  test('as many as the last judgement opened, two at least', async () => {
    const browser = await connectChromium(launched!);
    // The browser's own context, which no check uses, is always there.
    const madeAhead = () => browser.contexts().length - 1;
    // Until the judgement begins, as its go would.
    let waiting = true;
    const primed = () => {
      waiting = true;
      prepareBlankPages(browser, () => waiting, true);
    };
    const begin = () => (waiting = false);

    await openPages(5);
    await closeBlankPages();
    primed();
    expect(await eventually(() => madeAhead() === 5, 10_000), `madeAhead(): ${madeAhead()}`).toBe(true);
    begin();

    await openPages(1);
    await closeBlankPages();
    expect(madeAhead()).toBe(0);
    primed();
    expect(await eventually(() => madeAhead() === 2, 10_000), `madeAhead(): ${madeAhead()}`).toBe(true);
    begin();
    await closeBlankPages();
  });

  test('two only in a session that judges one folder after another, as the kit\'s tests of variants do', async () => {
    const browser = await connectChromium(launched!);
    const madeAhead = () => browser.contexts().length - 1;
    await openPages(5);
    await closeBlankPages();
    let waiting = true;
    prepareBlankPages(browser, () => waiting, false);
    expect(await eventually(() => madeAhead() === 2, 10_000), `madeAhead(): ${madeAhead()}`).toBe(true);
    // Given the time to make three more (about 40 ms each), it makes none.
    expect(await eventually(() => madeAhead() > 2, 1500)).toBe(false);
    waiting = false;
    await closeBlankPages();
  });

  test('no more than two once the judgement has begun', async () => {
    const browser = await connectChromium(launched!);
    const madeAhead = () => browser.contexts().length - 1;
    await openPages(5);
    await closeBlankPages();
    prepareBlankPages(browser, () => false, true);
    expect(await eventually(() => madeAhead() === 2, 10_000), `madeAhead(): ${madeAhead()}`).toBe(true);
    await closeBlankPages();
    expect(madeAhead()).toBe(0);
  });
});
