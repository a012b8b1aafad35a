// The Chromium engine: playwright-core connected to the browser the checker launched.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PageEngine } from './chat-page.ts';

let connection: Promise<Browser> | undefined;

/** Connects once per worker; later pages reuse the connection. */
export function connectChromium(wsEndpoint: string): Promise<Browser> {
  connection ??= import('playwright-core').then(({ chromium }) => chromium.connectOverCDP(wsEndpoint));
  return connection;
}

export async function openChromiumPage(wsEndpoint: string, url: string, timeoutMs: number): Promise<PageEngine> {
  const browser = await connectChromium(wsEndpoint);
  // A context per page: two tabs of a chat are two separate visitors, as in two browsers.
  const context = await browser.newContext();
  const page = await context.newPage();
  const engine = new ChromiumEngine(context, page);
  await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
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
    page.on('request', (request) => {
      if (/\/socket\.io\/\?EIO=/.test(request.url())) this.socketIoStarted = true;
    });
    page.on('websocket', (socket) => {
      // "5" (UPGRADE) sent: the connection moved from polling to this WebSocket. "40…" received
      // over it: a WebSocket-only client is connected. Either way the page's connection is settled.
      const settle = () => {
        this.webSocketSettled = true;
        for (const wake of this.settledWaiters.splice(0)) wake();
      };
      socket.on('framesent', ({ payload }) => payload === '5' && settle());
      socket.on('framereceived', ({ payload }) => typeof payload === 'string' && payload.startsWith('40') && settle());
    });
  }

  private socketIoStarted = false;
  private webSocketSettled = false;
  private readonly settledWaiters: (() => void)[] = [];

  /**
   * A page closed while Socket.IO is still upgrading from polling to WebSocket leaves the
   * server unaware until its ping timeout (45 s by default): let the upgrade finish first.
   */
  private async settleConnection(timeoutMs: number): Promise<void> {
    if (!this.socketIoStarted || this.webSocketSettled) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.settledWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
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
    await this.page.fill(inputSelector, text, { timeout: 1000 });
    await this.page.press(inputSelector, 'Enter', { timeout: 1000 });
  }

  async close(): Promise<void> {
    await this.settleConnection(2000);
    await this.context.close().catch(() => {});
  }
}
