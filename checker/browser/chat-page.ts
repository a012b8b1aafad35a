// One way for checks to drive the learner's page, whatever the engine behind it: a real
// Chromium when one is installed, jsdom otherwise. Most helpers run a small script in the
// page, so both engines share them; only typing differs (Chromium types for real).
import { describeFailedScript, isNeededScript } from './failed-script.ts';

export type EngineName = 'chromium' | 'jsdom';

export interface PageEngine {
  readonly name: EngineName;
  /** Evaluates a JavaScript expression in the page and returns its (JSON-able) value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Resolves once the expression is truthy in the page, re-checked on every DOM change. */
  waitUntil(expression: string, timeoutMs: number): Promise<boolean>;
  /** Types into the field and submits the form the way a person would. */
  typeAndSubmit(inputSelector: string, text: string): Promise<void>;
  /** The address the page was opened at. */
  readonly url: string;
  /** Uncaught errors and console errors of the page, in order. */
  readonly errors: string[];
  /** Texts of alert(), confirm() and prompt() calls: none should happen in a chat. */
  readonly dialogs: string[];
  /** Requests the page made that failed or got an error status, in order. */
  readonly failedRequests: FailedRequest[];
  /**
   * Where the engine sees the page's WebSocket frames (Chromium): the text frames it received
   * and sent so far, and a wait for the first one received from index `from` on that matches `pattern`.
   */
  readonly framesReceived?: string[];
  readonly framesSent?: string[];
  /** Where the engine sees them (Chromium): the URLs the page asked for so far, WebSockets included, in order. */
  readonly requestsMade?: string[];
  waitForFrame?(pattern: RegExp, from: number, timeoutMs: number): Promise<boolean>;
  /**
   * Moves the page's own clock `ms` on at once, running the page's timers due meanwhile in their
   * order, as if that time had passed (Chromium, on a page opened with `clock: true`). False when it
   * did not: the page has no such clock, or its connection would not survive more (see
   * chromium-engine.ts). checks/skipped-time.ts waits with it.
   */
  skipAhead?(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

/** A request of the page that got an error status, or no answer at all. */
export interface FailedRequest {
  /** The whole URL, e.g. `https://cdn.socket.io/4.8.1/socket.io.min.js`. */
  url: string;
  /** What the page wanted it for: `document` (the page itself), `script`, `stylesheet`, `xhr`… */
  kind: string;
  /** The status the server answered, when one did: 404, 500… */
  status?: number;
  /** Otherwise, the network error, e.g. `net::ERR_NAME_NOT_RESOLVED`. */
  error?: string;
}

const json = (value: unknown) => JSON.stringify(value);

export class ChatPage {
  constructor(readonly engine: PageEngine) {}

  /**
   * What went wrong in the page, cause first, as the end of a sentence ("the page …"), or
   * undefined if nothing did: a script that did not load (which also explains a later
   * "io is not defined"), else the first error the page's code threw. A script from another
   * server counts only if it is Socket.IO's client or the page's code then failed: a page may
   * well do without its fonts or analytics.
   */
  problem(): string | undefined {
    const error = this.engine.errors.find((text) => !/^Failed to load resource\b/.test(text));
    const scripts = this.engine.failedRequests.filter((request) => request.kind === 'script');
    const script = scripts.find((request) => isNeededScript(request, this.engine.url)) ?? (error ? scripts[0] : undefined);
    if (script) return describeFailedScript(script, this.engine.url);
    return error && `the page failed with "${error}"`;
  }

  count(selector: string): Promise<number> {
    return this.engine.evaluate(`document.querySelectorAll(${json(selector)}).length`);
  }

  texts(selector: string): Promise<string[]> {
    return this.engine.evaluate(`[...document.querySelectorAll(${json(selector)})].map((element) => element.textContent)`);
  }

  value(selector: string): Promise<string | null> {
    return this.engine.evaluate(`document.querySelector(${json(selector)})?.value ?? null`);
  }

  /** How many <li> the messages list holds, and their texts. */
  messages(): Promise<string[]> {
    return this.texts('#messages > li');
  }

  send(text: string): Promise<void> {
    return this.engine.typeAndSubmit('#input', text);
  }

  /** Waits until an <li> with exactly this text is in #messages; false if it never comes. */
  waitForMessage(text: string, timeoutMs = 2000): Promise<boolean> {
    return this.engine.waitUntil(
      `[...document.querySelectorAll('#messages > li')].some((item) => item.textContent.trim() === ${json(text)})`,
      timeoutMs,
    );
  }

  /** True once the page scrolled so that its last message is in view. */
  lastMessageInView(): Promise<boolean> {
    return this.engine.evaluate(`(() => {
      const items = document.querySelectorAll('#messages > li');
      const last = items[items.length - 1];
      if (!last) return false;
      const box = last.getBoundingClientRect();
      return box.top < window.innerHeight && box.bottom > 0;
    })()`);
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
