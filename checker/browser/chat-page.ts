// One way for checks to drive the learner's page, whatever the engine behind it: a real
// Chromium when one is installed, jsdom otherwise. Most helpers run a small script in the
// page, so both engines share them; only typing differs (Chromium types for real).

export type EngineName = 'chromium' | 'jsdom';

export interface PageEngine {
  readonly name: EngineName;
  /** Evaluates a JavaScript expression in the page and returns its (JSON-able) value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Resolves once the expression is truthy in the page, re-checked on every DOM change. */
  waitUntil(expression: string, timeoutMs: number): Promise<boolean>;
  /** Types into the field and submits the form the way a person would. */
  typeAndSubmit(inputSelector: string, text: string): Promise<void>;
  /** Uncaught errors and console errors of the page, in order. */
  readonly errors: string[];
  /** Texts of alert(), confirm() and prompt() calls: none should happen in a chat. */
  readonly dialogs: string[];
  /** Requests the page made that failed or got an error status, e.g. `404 /socket.io/socket.io.js`. */
  readonly failedRequests: string[];
  close(): Promise<void>;
}

const json = (value: unknown) => JSON.stringify(value);

export class ChatPage {
  constructor(readonly engine: PageEngine) {}

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
