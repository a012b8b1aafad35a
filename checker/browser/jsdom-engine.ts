// The fallback engine when no Chrome or Chromium is installed: jsdom runs the page's scripts
// in-process, loads /socket.io/socket.io.js from the learner's server and connects for real.
import type { DOMWindow } from 'jsdom';
import type { FailedRequest, PageEngine } from './chat-page.ts';
import { UpgradeWatch } from './upgrade-watch.ts';

export async function openJsdomPage(url: string, timeoutMs: number): Promise<PageEngine> {
  const { JSDOM, VirtualConsole } = await import('jsdom');
  const errors: string[] = [];
  const failedRequests: FailedRequest[] = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on('error', (...args: unknown[]) => errors.push(args.map(String).join(' ')));
  virtualConsole.on('jsdomError', (jsdomError: Error) => {
    // jsdom adds what kind of error it is, and the URL for a resource that failed to load.
    const error = jsdomError as Error & { type?: string; url?: string; cause?: Error & { code?: string; cause?: { code?: string } } };
    if (error.type === 'resource-loading') {
      // jsdom says `Could not load script: "…"`, caused by "Status code: 404" or by the network's error.
      const element = /^Could not load (\w+)/.exec(error.message)?.[1];
      const status = Number(/^Status code: (\d+)/.exec(error.cause?.message ?? '')?.[1]);
      failedRequests.push({
        url: error.url ?? url,
        kind: element === 'link' ? 'stylesheet' : (element ?? 'other'),
        ...(status ? { status } : { error: error.cause?.cause?.code ?? error.cause?.code ?? error.cause?.message ?? error.message }),
      });
    } else if (error.type === 'unhandled-exception') {
      errors.push(error.cause?.message ?? error.message);
    } else if (error.type !== 'not-implemented' && error.type !== 'css-parsing') {
      // Not implemented: jsdom cannot navigate, say; the checks catch what that hides.
      errors.push(error.message);
    }
  });
  const upgrade = new UpgradeWatch();
  const sockets: WebSocket[] = [];
  const dom = await JSDOM.fromURL(url, {
    runScripts: 'dangerously',
    resources: 'usable',
    pretendToBeVisual: true,
    virtualConsole,
    beforeParse: (window) => watchConnections(window, upgrade, sockets),
  });
  const engine = new JsdomEngine(dom.window, url, errors, failedRequests, upgrade, sockets);
  await engine.loaded(timeoutMs);
  return engine;
}

/** Watches the page's requests and WebSockets the way the Chromium engine watches its network. */
function watchConnections(window: DOMWindow, upgrade: UpgradeWatch, sockets: WebSocket[]): void {
  const open = window.XMLHttpRequest.prototype.open;
  window.XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: Parameters<typeof open>) {
    upgrade.noteRequest(String(args[1]));
    return open.apply(this, args);
  } as typeof open;
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      upgrade.noteRequest(String(args[0]));
      sockets.push(this);
      this.addEventListener('message', (event: MessageEvent) => upgrade.noteReceived(event.data));
    }

    override send(data: Parameters<WebSocket['send']>[0]): void {
      upgrade.noteSent(data);
      super.send(data);
    }
  };
}

class JsdomEngine implements PageEngine {
  readonly name = 'jsdom';
  readonly dialogs: string[] = [];

  constructor(
    private readonly window: DOMWindow,
    readonly url: string,
    readonly errors: string[],
    readonly failedRequests: FailedRequest[],
    private readonly upgrade: UpgradeWatch,
    private readonly sockets: WebSocket[],
  ) {
    const record = (message?: unknown) => {
      this.dialogs.push(String(message ?? ''));
      return null;
    };
    Object.assign(window, { alert: record, confirm: record, prompt: record });
  }

  loaded(timeoutMs: number): Promise<void> {
    if (this.window.document.readyState === 'complete') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`it did not finish loading within ${timeoutMs / 1000} s`)), timeoutMs);
      this.window.addEventListener('load', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async evaluate<T>(expression: string): Promise<T> {
    return this.window.eval(expression) as T;
  }

  waitUntil(expression: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const test = () => Boolean(this.window.eval(expression));
      if (test()) return resolve(true);
      const observer = new this.window.MutationObserver(() => {
        if (!test()) return;
        finish(true);
      });
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (result: boolean) => {
        clearTimeout(timer);
        observer.disconnect();
        resolve(result);
      };
      observer.observe(this.window.document, { subtree: true, childList: true, characterData: true, attributes: true });
    });
  }

  async typeAndSubmit(inputSelector: string, text: string): Promise<void> {
    const document = this.window.document;
    const input = document.querySelector(inputSelector) as HTMLInputElement | null;
    if (!input) throw new Error(`there is no ${inputSelector} to type into`);
    input.focus();
    input.value = text;
    input.dispatchEvent(new this.window.Event('input', { bubbles: true }));
    // Pressing Enter in a text field submits its form through the form's default button.
    const form = input.form;
    if (!form) return;
    const submitter = form.querySelector('button:not([type=button]):not([type=reset]), input[type=submit]') as HTMLElement | null;
    if (submitter) submitter.click();
    else form.requestSubmit();
  }

  async close(): Promise<void> {
    await this.upgrade.waitUntilSettled(2000);
    // Closed explicitly, so that the server hears the page leave as it would from a browser tab.
    for (const socket of this.sockets) socket.close();
    this.window.close();
  }
}
