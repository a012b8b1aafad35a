// What the checker's main process hands to the checks running in the vitest worker.
export type BrowserChoice = { engine: 'chromium'; wsEndpoint: string } | { engine: 'jsdom' };

export interface CheckContext {
  /** Port of the relay that streams the learner process's output, port and exit, and the browser; its go names the folder judged. */
  relayPort: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    checkContext: CheckContext;
  }
}
