// The Chromium engine: playwright-core connected to the browser the checker launched.
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import type { FailedRequest, PageEngine } from './chat-page.ts';
import type { ChromiumAddress } from '../checks/context.ts';
import { UpgradeWatch } from './upgrade-watch.ts';
import { watchNavigations, type NavigationWatch } from './navigation-watch.ts';
import { ConditionWaiters } from '../checks/condition-waiters.ts';
import { answeringProcesses } from '../checks/answering-processes.ts';
import { runTimeLeft, startRunTimeClock } from '../processes/run-time-deadline.ts';
import { trace } from '../judge/trace.ts';
import { answerWithinMs, seconds } from '../checks/deadlines.ts';

/**
 * The connection to the browser, kept on the worker's global object: a warm judge's worker runs
 * the checks' modules anew at each judgement, and the connection (with playwright, a few hundred
 * milliseconds to load) outlives them. Only the same browser's connection is reused.
 */
const kept = globalThis as { chatWorkshopChromium?: { wsEndpoint: string; connection: Promise<Browser> } };

/** Connects once per worker and browser; later pages reuse the connection. */
export function connectChromium({ wsEndpoint, artifactsDir }: ChromiumAddress): Promise<Browser> {
  const known = kept.chatWorkshopChromium;
  if (known?.wsEndpoint === wsEndpoint) return known.connection;
  // The connection opens while playwright loads; within playwright's own limit for it.
  const transport = import('./cdp-transport.ts').then(({ openCdpTransport }) => openCdpTransport(wsEndpoint, 30_000));
  transport.catch(() => {});
  const connection = import('playwright-core').then(async ({ chromium }) => {
    trace('playwright imported');
    const browser = await chromium.connectOverCDP(await transport, { artifactsDir });
    await closeOrphanContexts(browser);
    return browser;
  });
  kept.chatWorkshopChromium = { wsEndpoint, connection };
  // A connection that failed, or a browser that went away, is not kept: the next page tries again.
  connection.then(
    (browser) => browser.once('disconnected', () => forget(connection)),
    () => forget(connection),
  );
  return connection;
}

function forget(connection: Promise<Browser>): void {
  if (kept.chatWorkshopChromium?.connection === connection) kept.chatWorkshopChromium = undefined;
}

/**
 * Closes the browser contexts that a thread ended before this one left (its blank pages made
 * ahead): one thread connects to a browser at a time, so a new connection finds none of its own.
 * A warm judge's thread is replaced after many judgements, or when a run is cancelled, while its
 * browser lives on. Playwright does not show another connection's contexts: asked of Chromium.
 */
async function closeOrphanContexts(browser: Browser): Promise<void> {
  const session = await browser.newBrowserCDPSession();
  const { browserContextIds } = await session.send('Target.getBrowserContexts');
  await Promise.all(browserContextIds.map((browserContextId) => session.send('Target.disposeBrowserContext', { browserContextId }).catch(() => {})));
  await session.detach().catch(() => {});
}

interface BlankPage {
  context: BrowserContext;
  page: Page;
}

/**
 * Blank pages made ahead, each in a context of its own (two tabs of a chat are two separate
 * visitors, as in two browsers): making one takes Chromium tens of milliseconds, which a check
 * would otherwise wait for at each page it opens. Two are made as soon as the browser is
 * connected, also when the checks have begun (a one-shot `npm run check`: measured in turns,
 * steps 07 and 10 gave their verdict 40-60 ms sooner, a failing step 07 no later); more only
 * while a primed run waits for its judgement (see learner-app.ts), as made during the checks
 * they would take the CPU the checks need. Each is used once.
 *
 * Those no check opened are kept for the next judgement, with the browser's connection, on the
 * thread's global object: never navigated, they hold nothing of the judgement that made them.
 * Closing them after each judgement and making others for the next cost a warm judge about 60 ms
 * a judgement (21 judgements of a wrong variant of step 07 caught by its first check: 5.4 s,
 * 4.1 s when kept). They are at most `mostPagesAhead`, and end with the browser.
 */
const madeAhead = globalThis as { chatWorkshopBlankPages?: WeakMap<Browser, Promise<BlankPage>[]> };

/** The blank pages made ahead in this browser and not taken yet. */
function blankPagesOf(browser: Browser): Promise<BlankPage>[] {
  const all = (madeAhead.chatWorkshopBlankPages ??= new WeakMap());
  let pages = all.get(browser);
  if (!pages) all.set(browser, (pages = []));
  return pages;
}

/** Most checks open one or two pages: that many are made ahead, whatever came before. */
const fewestPagesAhead = 2;
/**
 * In a session that judges one folder again and again (`npm run watch`, `npm start`), when the
 * judgement before opened more (a step with many page checks), more are made, one at a time while
 * the run still waits, up to this. Not in other sessions: pages made and not used are CPU lost,
 * and the kit's tests judge one variant after another, most of them by the one check that catches
 * it (made as in a watch, pages nobody opened cost the whole suite about 20 s).
 */
const mostPagesAhead = 8;
/** The pages this judgement opened (this module is evaluated anew at each judgement). */
let pagesOpened = 0;
/** How many the last judgement opened: kept, as the connection is, on the thread's global object. */
const lastJudgement = globalThis as { chatWorkshopPagesOpened?: number };

async function makeBlankPage(browser: Browser): Promise<BlankPage> {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

function keepBlankPage(browser: Browser, made: Promise<BlankPage>): Promise<BlankPage> {
  const pages = blankPagesOf(browser);
  // One that failed (the browser went away) is dropped: the next page is made when asked for.
  made.catch(() => {
    const failed = pages.indexOf(made);
    if (failed >= 0) pages.splice(failed, 1);
  });
  pages.push(made);
  return made;
}

/** Makes blank pages ahead: up to two at once, then, while `waiting()` and `asBefore`, up to as many as the last judgement opened. */
export function prepareBlankPages(browser: Browser, waiting: () => boolean, asBefore: boolean): void {
  const pages = blankPagesOf(browser);
  while (pages.length < fewestPagesAhead) keepBlankPage(browser, makeBlankPage(browser));
  const wanted = asBefore ? Math.min(mostPagesAhead, lastJudgement.chatWorkshopPagesOpened ?? 0) : 0;
  void (async () => {
    while (waiting() && pages.length < wanted) await keepBlankPage(browser, makeBlankPage(browser)).catch(() => {});
  })();
}

/** The judgement is over: it says how many pages the next should find made. Those left unopened stay for it. */
export function noteJudgementEnd(): void {
  lastJudgement.chatWorkshopPagesOpened = pagesOpened;
  pagesOpened = 0;
}

async function takeBlankPage(browser: Browser): Promise<BlankPage> {
  pagesOpened += 1;
  const pages = blankPagesOf(browser);
  for (let made = pages.shift(); made; made = pages.shift()) {
    const blank = await made.catch(() => undefined);
    if (blank && !blank.page.isClosed()) return blank;
  }
  return makeBlankPage(browser);
}

export interface ChromiumPageOptions {
  /** Give the page a clock the check can move on (skipAhead), installed before its scripts run. */
  clock?: boolean;
}

export async function openChromiumPage(address: ChromiumAddress, url: string, timeoutMs: number, options: ChromiumPageOptions = {}): Promise<PageEngine> {
  const browser = await connectChromium(address);
  trace('connected to chromium');
  const { context, page } = await takeBlankPage(browser);
  // Before the page loads anything: its scripts are told the mutant as they run.
  await tellActiveMutant(context);
  // Installed running: the page's time flows as a wall clock's until a check moves it on.
  if (options.clock) await context.clock.install();
  trace('page created');
  const engine = new ChromiumEngine(context, page, url, Boolean(options.clock));
  try {
    await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
  } catch (error) {
    if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
    // A script from a server that never answers holds the page's load event back.
    const pending = engine.pendingRequests();
    throw new Error(`it did not finish loading within ${timeoutMs / 1000} s${pending.length > 0 ? `: it was still waiting for ${pending.join(', ')}` : ''}`);
  }
  trace('page loaded');
  return engine;
}

/**
 * Under mutation testing (`npm run check N -- --mutants`), Stryker names the mutant to turn on in
 * an environment variable, which the learner's server reads; a page has no environment, so its
 * scripts are told the same before they run.
 */
async function tellActiveMutant(context: BrowserContext): Promise<void> {
  const mutant = process.env['__STRYKER_ACTIVE_MUTANT__'];
  if (mutant) await context.addInitScript(`globalThis.__stryker__ = { activeMutant: ${JSON.stringify(mutant)} };`);
}

/** Kept off the skip budget: the real time a ping takes to arrive, on a busy machine. */
const skipMarginMs = 3000;

/** Engine.IO's first request, whose answer is the open packet: `/socket.io/?EIO=4&transport=polling&t=…`, no sid yet. */
const isPollingHandshake = (url: string) => /[?&]EIO=\d/.test(url) && /[?&]transport=polling\b/.test(url) && !/[?&]sid=/.test(url);

/**
 * The page's waits and typing go through evaluate and the keyboard alone, never through
 * playwright's selectors or waitForFunction: those first send each page playwright's injected
 * script (340 KB, compiled by the page's process), which cost Chromium and the checker about 0.2 s
 * of CPU a page. Ten chat pages, each joining and sending a message, three times in turns:
 * Chromium took 7.3-7.8 s of CPU with them, 5.8-5.9 s without, and the checker's process 1.2-1.3 s,
 * 0.8 s; step 10's solution, checked from cold three times in turns, 6.5 s (10.0 s of CPU) with
 * them, 5.9 s (9.0 s) without.
 *
 * In the page: a promise of true once `expression` is truthy, tested at once, at every change of
 * the document and every 25 ms (for what no change of the document shows, such as a socket's
 * state); of false after `ms`; rejected with what the expression threw. In the page's own time,
 * which a check that moves the page's clock on (skipAhead) may make shorter: the wait is then
 * asked again for what is left.
 */
function waitInPageScript(expression: string, ms: number): string {
  return `new Promise((resolve, reject) => {
    let settled = false;
    const settle = (finish) => {
      if (settled) return;
      settled = true;
      observer.disconnect();
      clearInterval(poll);
      clearTimeout(deadline);
      finish();
    };
    const test = () => {
      try {
        if (globalThis.eval(${JSON.stringify(expression)})) settle(() => resolve(true));
      } catch (error) {
        settle(() => reject(error));
      }
    };
    const observer = new MutationObserver(test);
    const poll = setInterval(test, 25);
    const deadline = setTimeout(() => settle(() => resolve(false)), ${Math.ceil(ms)});
    observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    test();
  })`;
}

/** In the page: whether a field is there, shows, and takes text (as playwright's fill waits for). */
const fieldTakesText = `(field) => {
  if (!field || !field.isConnected) return false;
  const box = field.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && getComputedStyle(field).visibility !== 'hidden' && !field.matches(':disabled') && !field.readOnly;
}`;

class ChromiumEngine implements PageEngine {
  readonly name = 'chromium';
  readonly errors: string[] = [];
  readonly dialogs: string[] = [];
  readonly failedRequests: FailedRequest[] = [];

  constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
    readonly url: string,
    private readonly hasClock: boolean,
  ) {
    page.on('pageerror', (error) => this.errors.push(error.message));
    page.on('console', (message) => {
      // Chromium says "Failed to load resource: net::ERR_NAME_NOT_RESOLVED" and keeps the URL apart: put it back in.
      const resource = message.location().url;
      if (message.type() === 'error') this.errors.push(message.text().replace(/^Failed to load resource(?=:)/, (said) => (resource ? `${said} ${resource}` : said)));
    });
    page.on('dialog', (dialog) => {
      this.dialogs.push(dialog.message());
      void dialog.dismiss().catch(() => {});
    });
    page.on('response', (response) => {
      if (hasClock && isPollingHandshake(response.url())) void response.text().then((body) => this.noteHandshake(body), () => {});
      if (response.status() >= 400) this.failedRequests.push({ url: response.url(), kind: response.request().resourceType(), status: response.status() });
    });
    page.on('requestfailed', (request) => {
      this.failedRequests.push({ url: request.url(), kind: request.resourceType(), error: request.failure()?.errorText ?? 'no answer' });
    });
    page.on('request', (request) => {
      this.pending.add(request);
      this.upgrade.noteRequest(request.url());
      this.requestsMade.push(request.url());
    });
    page.on('requestfinished', (request) => this.pending.delete(request));
    page.on('requestfailed', (request) => this.pending.delete(request));
    page.on('websocket', (socket) => {
      this.requestsMade.push(socket.url());
      socket.on('framesent', ({ payload }) => {
        this.upgrade.noteSent(payload);
        if (typeof payload === 'string') this.framesSent.push(payload);
      });
      socket.on('framereceived', ({ payload }) => {
        this.upgrade.noteReceived(payload);
        if (typeof payload === 'string') this.framesReceived.push(payload);
        if (hasClock && typeof payload === 'string' && payload.startsWith('0{')) this.noteHandshake(payload);
        this.frameWaiters.wake();
      });
    });
  }

  readonly requestsMade: string[] = [];
  readonly framesReceived: string[] = [];
  readonly framesSent: string[] = [];
  private readonly frameWaiters = new ConditionWaiters();

  waitForFrame(pattern: RegExp, from: number, timeoutMs: number): Promise<boolean> {
    return this.frameWaiters.waitUntil(() => this.framesReceived.slice(from).some((frame) => pattern.test(frame)), timeoutMs);
  }

  /**
   * How much page time may still be skipped. The page's client takes its connection for dead when
   * no ping comes within pingInterval + pingTimeout of page time after the last; the server pings
   * every pingInterval of real time. Skipping less than pingTimeout in all keeps the page within
   * that, whatever the learner set them to: the budget comes from the handshake the page got, and
   * is none before it came.
   */
  private skipBudgetMs = 0;

  private noteHandshake(body: string): void {
    try {
      const open = JSON.parse(body.split('\x1e')[0]!.slice(1)) as { pingTimeout?: unknown };
      if (typeof open.pingTimeout === 'number') this.skipBudgetMs = Math.max(0, open.pingTimeout - skipMarginMs);
    } catch {
      // Not an open packet after all: nothing is skipped on its account.
    }
  }

  async skipAhead(ms: number): Promise<boolean> {
    if (!this.hasClock || ms > this.skipBudgetMs) return false;
    this.skipBudgetMs -= ms;
    await this.page.clock.runFor(ms);
    return true;
  }

  private readonly upgrade = new UpgradeWatch();
  private readonly pending = new Set<Request>();

  /** The URLs of the page's requests still without an answer, its own connection to Socket.IO aside. */
  pendingRequests(): string[] {
    return [...this.pending].map((request) => request.url()).filter((url) => !/\/socket\.io\/\?EIO=/.test(url));
  }

  evaluate<T>(expression: string): Promise<T> {
    return this.page.evaluate(expression) as Promise<T>;
  }

  async waitUntil(expression: string, timeoutMs: number): Promise<boolean> {
    // In the time the page and the learner's server could run: a busy machine makes it later, not false.
    const clock = startRunTimeClock(answeringProcesses);
    for (;;) {
      const { leftMs } = runTimeLeft(clock, timeoutMs);
      if (leftMs === 0) return false;
      if (await this.waitInPage(expression, leftMs)) return true;
    }
  }

  /**
   * True once `expression` is truthy in the page, false when `ms` passed first (or the page was
   * replaced by another: asked again, the caller looks in the new one). A page so busy that it
   * never answers is given up on a little after `ms`, by the checker's own clock.
   */
  private async waitInPage(expression: string, ms: number): Promise<boolean> {
    const answer = this.page.evaluate(waitInPageScript(expression, ms)) as Promise<boolean>;
    let giveUp: NodeJS.Timeout | undefined;
    const givenUp = new Promise<false>((resolve) => (giveUp = setTimeout(() => resolve(false), ms + 1000)));
    try {
      return await Promise.race([answer, givenUp]);
    } catch (error) {
      if (error instanceof Error && /Execution context was destroyed|Cannot find context with specified id/.test(error.message)) return false;
      throw error;
    } finally {
      clearTimeout(giveUp);
      answer.catch(() => {});
    }
  }

  async typeAndSubmit(inputSelector: string, text: string): Promise<void> {
    // A person types into a field once it shows and takes text: on a busy machine a page can take
    // a moment to get there, and when it never does, the learner reads why in the kit's words.
    const field = `document.querySelector(${JSON.stringify(inputSelector)})`;
    if (!(await this.waitUntil(`(${fieldTakesText})(${field})`, answerWithinMs))) {
      const exists = await this.page.evaluate(`${field} !== null`).catch(() => false);
      throw new Error(
        exists
          ? `the field ${inputSelector} could not be typed into within ${seconds(answerWithinMs)}: it stayed hidden, disabled or read-only`
          : `there is no ${inputSelector} to type into (none appeared within ${seconds(answerWithinMs)})`,
      );
    }
    // As playwright's fill does: the field focused and its text selected, so that what is typed
    // replaces it, then typed as one input (or the selection deleted), then Enter pressed in it.
    await this.page.evaluate(`((field) => { field.focus(); field.select?.(); })(${field})`);
    if (text) await this.page.keyboard.insertText(text);
    else await this.page.keyboard.press('Delete');
    // A form that reloads the page (no preventDefault) has done so by the time the check looks.
    this.navigations ??= watchNavigations(this.context, this.page);
    await (await this.navigations).around(() => this.page.keyboard.press('Enter'), answerWithinMs);
  }

  /** Made at the first typing: most pages type, each a few times. */
  private navigations?: Promise<NavigationWatch>;

  async close(): Promise<void> {
    await this.upgrade.waitUntilSettled(2000);
    await this.context.close().catch(() => {});
  }
}
