// Blank pages made ahead of a judgement (browser/chromium-engine.ts): two at least, and as many as
// the last judgement opened, so that `npm run watch` of a step with many page checks finds each
// page made, and a judgement that opens few (a wrong variant judged by one check) makes no more.
// Those a judgement did not open are kept for the next, and a new connection (a new thread) closes
// those an earlier one left.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { connectChromium, noteJudgementEnd, openChromiumPage, prepareBlankPages } from '../browser/chromium-engine.ts';
import { findBrowser } from '../browser/find-browser.ts';
import { launchBrowser, type LaunchedBrowser } from '../browser/launch-browser.ts';
import { eventually } from './helpers/eventually.ts';

const chromium = findBrowser();
let launched: LaunchedBrowser | undefined;
beforeAll(async () => {
  if (chromium) launched = await launchBrowser(chromium);
});
afterAll(async () => {
  await launched?.close();
});

/** A connection of its own, as a new thread of a warm judge makes: the one kept on the global object is forgotten first. */
function newConnection(): Promise<Browser> {
  delete (globalThis as { chatWorkshopChromium?: unknown }).chatWorkshopChromium;
  return connectChromium(launched!);
}

/** The blank pages made ahead: every context but the browser's own, which no check uses. */
const madeAhead = (browser: Browser) => browser.contexts().length - 1;

/** Opens `count` pages as checks do, and closes them. */
async function openPages(count: number): Promise<void> {
  for (let opened = 0; opened < count; opened++) await (await openChromiumPage(launched!, 'about:blank', 4000)).close();
}

describe.runIf(chromium)('blank pages made ahead', () => {
  test('as many as the last judgement opened, two at least, and those it did not open kept for the next', async () => {
    const browser = await newConnection();
    // Each primed run waits until its own judgement begins, as a run's go does: a run that began
    // never waits again, so the pages an earlier priming was still making stop at its begin.
    let begin = () => {};
    const primed = () => {
      let waiting = true;
      begin = () => (waiting = false);
      prepareBlankPages(browser, () => waiting, true);
    };

    await openPages(5);
    noteJudgementEnd();
    primed();
    expect(await eventually(() => madeAhead(browser) === 5, 10_000), `madeAhead: ${madeAhead(browser)}`).toBe(true);
    begin();

    // A judgement that opens one: the four others stay, and the next judgement makes none.
    await openPages(1);
    noteJudgementEnd();
    expect(madeAhead(browser)).toBe(4);
    primed();
    expect(await eventually(() => madeAhead(browser) !== 4, 1500), `madeAhead: ${madeAhead(browser)}`).toBe(false);
    begin();
    await openPages(4);
    noteJudgementEnd();
    expect(madeAhead(browser)).toBe(0);

    // Then it makes two, the fewest, though the last opened four.
    prepareBlankPages(browser, () => false, true);
    expect(await eventually(() => madeAhead(browser) === 2, 10_000), `madeAhead: ${madeAhead(browser)}`).toBe(true);
  });

  test("two only in a session that judges one folder after another, as the kit's tests of variants do", async () => {
    const browser = await newConnection();
    await openPages(5);
    noteJudgementEnd();
    let waiting = true;
    prepareBlankPages(browser, () => waiting, false);
    expect(await eventually(() => madeAhead(browser) === 2, 10_000), `madeAhead: ${madeAhead(browser)}`).toBe(true);
    // Given the time to make three more (about 40 ms each), it makes none.
    expect(await eventually(() => madeAhead(browser) > 2, 1500)).toBe(false);
    waiting = false;
  });

  test('no more than two once the judgement has begun', async () => {
    const browser = await newConnection();
    await openPages(5);
    noteJudgementEnd();
    prepareBlankPages(browser, () => false, true);
    expect(await eventually(() => madeAhead(browser) === 2, 10_000), `madeAhead: ${madeAhead(browser)}`).toBe(true);
    expect(await eventually(() => madeAhead(browser) > 2, 1000)).toBe(false);
  });

  test('a new connection closes the pages an earlier one left in the browser', async () => {
    const before = await newConnection();
    prepareBlankPages(before, () => false, false);
    expect(await eventually(() => madeAhead(before) === 2, 10_000), `madeAhead: ${madeAhead(before)}`).toBe(true);
    // The thread that made them ended without closing them; the next one connects.
    const after = await newConnection();
    const session = await after.newBrowserCDPSession();
    const { browserContextIds } = await session.send('Target.getBrowserContexts');
    await session.detach();
    expect(browserContextIds).toEqual([]);
    // And pages open as before, through the new connection.
    await openPages(1);
    noteJudgementEnd();
  });
});
