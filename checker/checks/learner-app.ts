// The learner's running server as the checks see it: its URL, its log, real HTTP requests,
// real Socket.IO clients and real pages. Everything a check opens is closed after it.
import { inject } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ChatPage, type PageEngine } from '../browser/chat-page.ts';
import { subscribeToRelay } from '../learner/relay.ts';
import type { BrowserChoice } from './context.ts';
import { LearnerLog } from './learner-log.ts';
import { connectClient, ReceivedEvents, type ConnectOptions, type EventsMap } from './socket-client.ts';
import { fail } from './check-failure.ts';
import { httpGet, HttpTimeoutError, type HttpAnswer } from './http-get.ts';

export class LearnerApp {
  readonly log = new LearnerLog();
  private readonly cleanups: (() => Promise<void> | void)[] = [];

  constructor(
    readonly url: string,
    readonly learnerDir: string,
    private readonly browser: Promise<BrowserChoice>,
  ) {}

  /** GET a path; fails the check, in plain words, when the server does not answer. */
  async get(path: string, timeoutMs = 2000): Promise<HttpAnswer> {
    try {
      return await httpGet(new URL(path, this.url), timeoutMs);
    } catch (error) {
      const timedOut = error instanceof HttpTimeoutError;
      return fail({
        expected: `an answer to GET ${path}`,
        actual: timedOut
          ? `your server did not answer within ${timeoutMs / 1000} s (a route that never sends its response?)`
          : `the connection failed (${(error as Error).message})`,
      });
    }
  }

  /**
   * A real Socket.IO client, connected; it records every event it receives, from the first on:
   * what the server emits in its `connection` listener arrives in the same tick as `connect`.
   */
  async connect<S extends EventsMap, C extends EventsMap>(options: ConnectOptions = {}): Promise<{ socket: Socket<S, C>; received: ReceivedEvents }> {
    let socket: Socket<S, C>;
    let received!: ReceivedEvents;
    try {
      socket = await connectClient<S, C>(this.url, 2000, options, (created) => (received = new ReceivedEvents(created)));
    } catch (error) {
      return fail({
        expected: 'a Socket.IO client to connect to your server',
        actual: `it could not (${(error as Error).message}): is \`new Server(server)\` given the same server that listens?`,
      });
    }
    this.cleanups.push(() => void socket.close());
    return { socket, received };
  }

  /**
   * Tries to connect a client, for checks of a server that may refuse it (step 07's middleware):
   * the connected client, or the message of the server's refusal (`connect_error`). It records
   * events from the first on, such as what the server emits in its `connection` listener.
   */
  async tryConnect<S extends EventsMap, C extends EventsMap>(options: ConnectOptions = {}): Promise<{ connected: true; socket: Socket<S, C>; received: ReceivedEvents } | { connected: false; error: string }> {
    let received!: ReceivedEvents;
    try {
      const socket = await connectClient<S, C>(this.url, 2000, options, (created) => (received = new ReceivedEvents(created)));
      this.cleanups.push(() => void socket.close());
      return { connected: true, socket, received };
    } catch (error) {
      return { connected: false, error: (error as Error).message };
    }
  }

  /** The browser engine of this run: `chromium` or `jsdom`. */
  async engine(): Promise<BrowserChoice['engine']> {
    return (await this.browser).engine;
  }

  /** The page at `/`, open in the browser engine of this run. */
  async openPage(path = '/'): Promise<ChatPage> {
    const engine = await openEngine(await this.browser, new URL(path, this.url).href);
    this.cleanups.push(() => engine.close());
    return new ChatPage(engine);
  }

  async cleanUp(): Promise<void> {
    const cleanups = this.cleanups.splice(0);
    await Promise.all(cleanups.map((cleanup) => cleanup()));
  }
}

async function openEngine(browser: BrowserChoice, url: string): Promise<PageEngine> {
  if (browser.engine === 'chromium') {
    const { openChromiumPage } = await import('../browser/chromium-engine.ts');
    return openChromiumPage(browser.wsEndpoint, url, 4000);
  }
  const { openJsdomPage } = await import('../browser/jsdom-engine.ts');
  return openJsdomPage(url, 4000);
}

/** Connects to Chromium ahead of the first page: loading playwright takes a while. */
function warmUpChromium(wsEndpoint: string): void {
  import('../browser/chromium-engine.ts')
    .then(({ connectChromium }) => connectChromium(wsEndpoint))
    // A failure shows, with its reason, when a check opens a page.
    .catch(() => {});
}

/** The app of the current judgement: `npm run watch` judges again in the same worker, with a new relay. */
let app: { relayPort: number; learner: Promise<LearnerApp> } | undefined;

/** The learner's app, once its server listens (the checker only runs checks once it does). */
export function learnerApp(): Promise<LearnerApp> {
  const { relayPort, learnerDir } = inject('checkContext');
  if (app?.relayPort === relayPort) return app.learner;
  const learnerStarted = new Promise<LearnerApp>((resolve, reject) => {
    let learner: LearnerApp | undefined;
    const early: Parameters<LearnerLog['append']>[] = [];
    let chooseBrowser!: (browser: BrowserChoice) => void;
    const browser = new Promise<BrowserChoice>((resolveBrowser) => (chooseBrowser = resolveBrowser));
    subscribeToRelay(relayPort, (event) => {
      if (event.type === 'output') {
        if (learner) learner.log.append(event.stream, event.text);
        else early.push([event.stream, event.text]);
      } else if (event.type === 'browser') {
        chooseBrowser(event.browser);
        if (event.browser.engine === 'chromium') warmUpChromium(event.browser.wsEndpoint);
      } else if (event.type === 'listening') {
        const { host, port } = event.listening;
        learner = new LearnerApp(`http://${host.includes(':') ? `[${host}]` : host}:${port}/`, learnerDir, browser);
        for (const [stream, text] of early.splice(0)) learner.log.append(stream, text);
        resolve(learner);
      } else if (event.type === 'start-failed') {
        reject(new Error('the learner server did not start'));
      }
    });
  });
  app = { relayPort, learner: learnerStarted };
  return learnerStarted;
}
