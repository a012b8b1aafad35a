// The Chromium engine: playwright-core connected to the browser the checker launched.
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import type { FailedRequest, PageEngine } from './chat-page.ts';
import { UpgradeWatch } from './upgrade-watch.ts';
import { trace } from '../judge/trace.ts';
import { answerWithinMs, seconds } from '../checks/deadlines.ts';

let connection: Promise<Browser> | undefined;

/** Connects once per worker; later pages reuse the connection. */
export function connectChromium(wsEndpoint: string): Promise<Browser> {
  connection ??= import('playwright-core').then(({ chromium }) => {
    trace('playwright imported');
    return chromium.connectOverCDP(wsEndpoint);
  });
  return connection;
}

export async function openChromiumPage(wsEndpoint: string, url: string, timeoutMs: number): Promise<PageEngine> {
  const browser = await connectChromium(wsEndpoint);
  // A context per page: two tabs of a chat are two separate visitors, as in two browsers.
  trace('connected to chromium');
  const context = await browser.newContext();
  await tellActiveMutant(context);
  const page = await context.newPage();
  trace('page created');
  const engine = new ChromiumEngine(context, page, url);
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

class ChromiumEngine implements PageEngine {
  readonly name = 'chromium';
  readonly errors: string[] = [];
  readonly dialogs: string[] = [];
  readonly failedRequests: FailedRequest[] = [];

  constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
    readonly url: string,
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
      if (response.status() >= 400) this.failedRequests.push({ url: response.url(), kind: response.request().resourceType(), status: response.status() });
    });
    page.on('requestfailed', (request) => {
      this.failedRequests.push({ url: request.url(), kind: request.resourceType(), error: request.failure()?.errorText ?? 'no answer' });
    });
    page.on('request', (request) => {
      this.pending.add(request);
      this.upgrade.noteRequest(request.url());
    });
    page.on('requestfinished', (request) => this.pending.delete(request));
    page.on('requestfailed', (request) => this.pending.delete(request));
    page.on('websocket', (socket) => {
      socket.on('framesent', ({ payload }) => this.upgrade.noteSent(payload));
      socket.on('framereceived', ({ payload }) => this.upgrade.noteReceived(payload));
    });
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
    try {
      await this.page.waitForFunction(expression, undefined, { timeout: timeoutMs });
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') return false;
      throw error;
    }
  }

  async typeAndSubmit(inputSelector: string, text: string): Promise<void> {
    // Playwright first waits for the field to be visible, enabled and editable: on a busy machine
    // a page can take a moment to get there, and when it never does, the learner reads why in the
    // kit's words, not in Playwright's.
    try {
      await this.page.fill(inputSelector, text, { timeout: answerWithinMs });
      await this.page.press(inputSelector, 'Enter', { timeout: answerWithinMs });
    } catch (error) {
      if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
      const field = await this.page.$(inputSelector).catch(() => null);
      throw new Error(
        field
          ? `the field ${inputSelector} could not be typed into within ${seconds(answerWithinMs)}: it stayed hidden, disabled or read-only`
          : `there is no ${inputSelector} to type into (none appeared within ${seconds(answerWithinMs)})`,
      );
    }
  }

  async close(): Promise<void> {
    await this.upgrade.waitUntilSettled(2000);
    await this.context.close().catch(() => {});
  }
}
