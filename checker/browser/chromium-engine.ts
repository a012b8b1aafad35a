// The Chromium engine: playwright-core connected to the browser the checker launched.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PageEngine } from './chat-page.ts';
import { UpgradeWatch } from './upgrade-watch.ts';
import { trace } from '../judge/trace.ts';

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
  const page = await context.newPage();
  trace('page created');
  const engine = new ChromiumEngine(context, page);
  await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
  trace('page loaded');
  return engine;
}

class ChromiumEngine implements PageEngine {
  readonly name = 'chromium';
  readonly errors: string[] = [];
  readonly dialogs: string[] = [];
  readonly failedRequests: string[] = [];

  constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
  ) {
    page.on('pageerror', (error) => this.errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(message.text());
    });
    page.on('dialog', (dialog) => {
      this.dialogs.push(dialog.message());
      void dialog.dismiss().catch(() => {});
    });
    page.on('response', (response) => {
      if (response.status() >= 400) this.failedRequests.push(`${response.status()} ${new URL(response.url()).pathname}`);
    });
    page.on('requestfailed', (request) => this.failedRequests.push(`failed ${new URL(request.url()).pathname}`));
    page.on('request', (request) => this.upgrade.noteRequest(request.url()));
    page.on('websocket', (socket) => {
      socket.on('framesent', ({ payload }) => this.upgrade.noteSent(payload));
      socket.on('framereceived', ({ payload }) => this.upgrade.noteReceived(payload));
    });
  }

  private readonly upgrade = new UpgradeWatch();

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
    await this.page.fill(inputSelector, text, { timeout: 1000 });
    await this.page.press(inputSelector, 'Enter', { timeout: 1000 });
  }

  async close(): Promise<void> {
    await this.upgrade.waitUntilSettled(2000);
    await this.context.close().catch(() => {});
  }
}
