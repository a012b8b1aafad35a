// What the checker's main process hands to the checks running in the vitest worker.
/**
 * A Chromium the checker launched, as playwright connects to it: its DevTools address, and the
 * folder playwright may keep files in, inside the browser's profile, so that it goes with it
 * (left to choose, playwright makes one in the system's temporary folder for each connection and
 * leaves it behind when the worker ends).
 */
export interface ChromiumAddress {
  /** ws://127.0.0.1:…/devtools/browser/… */
  wsEndpoint: string;
  artifactsDir: string;
  /** Its process (behind its launcher script): a wait for a page counts the time it could run (checks/answering-processes.ts). */
  pid?: number;
}

export type BrowserChoice = ({ engine: 'chromium' } & ChromiumAddress) | { engine: 'jsdom' };

export interface CheckContext {
  /** Port of the relay that streams the learner process's output, port and exit, and the browser; its go names the folder judged. */
  relayPort: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    checkContext: CheckContext;
  }
}
