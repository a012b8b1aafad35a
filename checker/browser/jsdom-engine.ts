// The fallback engine when no Chrome or Chromium is installed: jsdom runs the page's scripts
// in-process, loads /socket.io/socket.io.js from the learner's server and connects for real.
import type { DOMWindow } from 'jsdom';
import type { PageEngine } from './chat-page.ts';

export async function openJsdomPage(url: string, timeoutMs: number): Promise<PageEngine> {
  const { JSDOM, VirtualConsole, ResourceLoader } = await import('jsdom');
  const errors: string[] = [];
  const failedRequests: string[] = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on('error', (...args: unknown[]) => errors.push(args.map(String).join(' ')));
  virtualConsole.on('jsdomError', (error: Error) => {
    const cause = (error as Error & { cause?: Error }).cause;
    const message = cause?.message ?? error.message;
    // jsdom has no navigation; a learner who forgot preventDefault() is caught by the checks.
    if (/Not implemented: HTMLFormElement/.test(message)) return;
    if (/Could not load script/.test(error.message)) {
      const src = /"([^"]+)"/.exec(error.message)?.[1] ?? 'a script';
      failedRequests.push(`failed ${src.startsWith('http') ? new URL(src).pathname : src}`);
      return;
    }
    errors.push(message);
  });
  const dom = await JSDOM.fromURL(url, {
    runScripts: 'dangerously',
    resources: new ResourceLoader(),
    pretendToBeVisual: true,
    virtualConsole,
  });
  const engine = new JsdomEngine(dom.window, errors, failedRequests);
  await engine.loaded(timeoutMs);
  return engine;
}

class JsdomEngine implements PageEngine {
  readonly name = 'jsdom';
  readonly dialogs: string[] = [];

  constructor(
    private readonly window: DOMWindow,
    readonly errors: string[],
    readonly failedRequests: string[],
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
      const timer = setTimeout(() => reject(new Error(`the page did not finish loading within ${timeoutMs} ms`)), timeoutMs);
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
    this.window.close();
  }
}
