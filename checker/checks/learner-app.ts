// The learner's running server as the checks see it: its URL, its log, real HTTP requests,
// real Socket.IO clients and real pages; and, for steps 10-12, a network path that breaks on
// demand, a crash and restart, more processes of the learner's code, and Redis. Everything a
// check opens or starts is closed or ended after it (a restarted server stays: it is the app).
import { inject } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ChatPage, type PageEngine } from '../browser/chat-page.ts';
import type { Listening } from '../learner/learner-process.ts';
import { subscribeToRelay, type RelayConnection, type RelayEvent, type ServerStart } from '../learner/relay.ts';
import type { BrowserChoice, ChromiumAddress } from './context.ts';
import type { CuttableProxy } from './cuttable-proxy.ts';
import { LearnerLog } from './learner-log.ts';
import { noteAnswering } from './answering-processes.ts';
import type { StartedServer } from './started-server.ts';
import { relayedServerClock, type SkippableClock } from './skipped-time.ts';
import { connectClient, ReceivedEvents, type ConnectOptions, type EventsMap } from './socket-client.ts';
import { forgetUnheard, noteUnheard } from './unheard-events.ts';
import { fail } from './check-failure.ts';
import { httpGet, HttpTimeoutError, type HttpAnswer } from './http-get.ts';
import { answerWithinMs } from './deadlines.ts';

export interface OpenPageOptions {
  /** Load the page through this proxy (from `app.proxy()`): the page's own socket then goes through it too. */
  via?: { readonly url: string };
  /**
   * Give the page a clock the check can move on, to wait through the page's own time without
   * idling through it (checks/skipped-time.ts). Chromium only: jsdom's pages wait in real time.
   */
  clock?: boolean;
}

export interface StartServerOptions {
  /** The file to run, relative to the learner's folder: index.ts unless said otherwise (step 12's `cluster.ts`, say). */
  entry?: string;
  /** Added to the environment the first process got (which holds CHAT_DB), e.g. `{ REDIS_URL: url }`. */
  env?: Record<string, string>;
}

/** A process started ahead of the check that takes it (LearnerApp.startServerAhead). */
export interface ServerAhead {
  take(): Promise<StartedServer>;
}

export class LearnerApp {
  readonly log = new LearnerLog();
  private readonly cleanups: (() => Promise<void> | void)[] = [];
  private readonly servers = new Map<number, StartedServer>();
  private currentUrl: string;

  constructor(
    private readonly listening: Listening,
    readonly learnerDir: string,
    private readonly browser: Promise<BrowserChoice>,
    private readonly relay: RelayConnection,
  ) {
    this.currentUrl = urlOf(listening);
    this.serverClock = relayedServerClock(relay);
  }

  /**
   * The port the learner's code asked listen() for, before the checker gave it a free one, when it
   * named one; the checker names portNamedInEnvironment in its PORT.
   */
  get askedPort(): number | undefined {
    return this.listening.askedPort;
  }

  /** e.g. `http://127.0.0.1:41234/`: the learner's server, the one a restart started after one. */
  get url(): string {
    return this.currentUrl;
  }

  /** GET a path; fails the check, in plain words, when the server does not answer. */
  async get(path: string, timeoutMs = answerWithinMs): Promise<HttpAnswer> {
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
      socket = await connectClient<S, C>(options.via?.url ?? this.url, answerWithinMs, options, (created) => (received = new ReceivedEvents(created)));
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
      const socket = await connectClient<S, C>(options.via?.url ?? this.url, answerWithinMs, options, (created) => (received = new ReceivedEvents(created)));
      this.cleanups.push(() => void socket.close());
      return { connected: true, socket, received };
    } catch (error) {
      return { connected: false, error: (error as Error).message };
    }
  }

  /**
   * The error the server printed last on stderr, such as the one that stopped it, or undefined.
   * A crash's output can reach the checker after the failed connection that revealed it: this
   * waits for an error line, 1 s at most (only ever on the way to a failure).
   */
  async crashError(timeoutMs = 1000): Promise<string | undefined> {
    const lastError = () => this.log.lines.filter((line) => line.stream === 'stderr' && /\w*Error\b/.test(line.text)).at(-1)?.text.trim();
    await this.log.waitUntil(() => lastError() !== undefined, timeoutMs);
    return lastError();
  }

  /** The browser engine of this run: `chromium` or `jsdom`. */
  async engine(): Promise<BrowserChoice['engine']> {
    return (await this.browser).engine;
  }

  /**
   * The error behind an error answer, told for a failure message: quoted, with the line of the
   * learner's code it names, and what to change when error-causes.ts knows it. Express puts the
   * error and its stack in the page it answers (unless NODE_ENV=production), and prints them on
   * stderr (unless NODE_ENV=test): `answer` is that page, and the log is waited for as
   * crashError() does when the page tells nothing. Undefined if neither says anything.
   */
  async describeServerError(answer = ''): Promise<string | undefined> {
    const [{ readCrashReport }, { repoRoot }, { explainError, lineAt, readSource }] = await Promise.all([
      import('../learner/crash-report.ts'),
      import('../course/steps.ts'),
      import('./error-causes.ts'),
    ]);
    // Express's error page holds the error in a <pre>; its <title> says "Error", which is not one.
    const page = (/<pre>([\s\S]*?)<\/pre>/.exec(answer)?.[1] ?? answer)
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<[^>]*>/g, '')
      .replace(/&nbsp;/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
    let report = readCrashReport(page, this.learnerDir, repoRoot);
    if (!report.message) {
      const message = await this.crashError();
      if (!message) return undefined;
      const stderr = this.log.lines.filter((line) => line.stream === 'stderr').map((line) => line.text).join('\n');
      report = readCrashReport(stderr.slice(stderr.lastIndexOf(message)), this.learnerDir, repoRoot);
    }
    const { message, location } = report;
    const cause = explainError(message!, { codeLine: lineAt(location, repoRoot), source: readSource(`${this.learnerDir}/index.ts`) });
    return `"${message}"${location ? ` at ${location}` : ''}${cause ? `. ${cause}` : ''}`;
  }

  /** The page at `/`, open in the browser engine of this run; fails the check if the page itself does not load. */
  async openPage(path = '/', options: OpenPageOptions = {}): Promise<ChatPage> {
    let engine: PageEngine | undefined;
    let status: number | undefined;
    try {
      engine = await openEngine(await this.browser, new URL(path, options.via?.url ?? this.url).href, options.clock ?? false);
      this.cleanups.push(() => engine!.close());
      status = engine.failedRequests.find((request) => request.kind === 'document')?.status;
    } catch (error) {
      // jsdom refuses a page that comes with an error status: "Resource was not loaded. Status: 500".
      const message = (error as Error).message;
      status = Number(/Status: (\d+)/.exec(message)?.[1]) || undefined;
      if (status === undefined) fail({ expected: `the page at ${path} to load`, actual: message.split('\n')[0]! });
    }
    if (status !== undefined || !engine) {
      const text = await engine?.evaluate<string>('document.body?.innerText ?? ""').catch(() => '');
      const error = await this.describeServerError(text);
      fail({ expected: `GET ${path} to answer with the page`, actual: `it answered ${status}${error ? `, with the error ${error}` : ''}` });
    }
    return new ChatPage(engine);
  }

  /**
   * A loopback TCP proxy in front of the learner's server (or `to`, a server from startServer):
   * connect clients and open pages `via` it, then cut, go offline, or drop what goes one way.
   * It connects each new connection to the server's current address, so it follows a restart.
   */
  async proxy(to: { readonly url: string } = this): Promise<CuttableProxy> {
    // Imported on first use, as the rest of steps 10-12's powers: the steps before never load them.
    const { CuttableProxy } = await import('./cuttable-proxy.ts');
    const proxy = await CuttableProxy.open(() => to.url);
    this.cleanups.push(() => proxy.close());
    return proxy;
  }

  /**
   * The clock of the learner's server (the current one), to wait through a time it keeps itself,
   * a rate limit's window or an acknowledgement's timeout, without idling (checks/skipped-time.ts).
   * Its time is the wall's plus all it was moved on.
   */
  readonly serverClock: SkippableClock;

  /**
   * Says that this check will restart the server: its next process starts now, loading its
   * libraries while the check goes on, and restart() then only tells it to run. Optional: a
   * restart not prepared starts the process then.
   */
  async prepareRestart(): Promise<void> {
    await this.relay.request('prepare-restart', {});
  }

  /**
   * Crashes the learner's server (SIGKILL: nothing is flushed on the way out) and starts index.ts
   * again, with the same environment and the same CHAT_DB; `url` then points at the new server
   * and `log` goes on with its output. Fails the check if it does not listen again within 4 s.
   */
  async restart(): Promise<void> {
    const started = await this.relay.request('restart', {});
    if (!started.ok) {
      fail({
        expected: 'your server to start again after a crash (the checker ended it with SIGKILL, then ran index.ts again)',
        actual: await this.describeStartFailure(started),
      });
    }
    noteAnswering(started.pid);
    this.currentUrl = urlOf(started.listening);
  }

  /**
   * Starts another process of the learner's code, as the first was started (port 0, CHAT_DB),
   * once it listens; it is ended (SIGKILL, with every process it started) after the check.
   * With @socket.io/sticky, the primary listens before its workers are ready: wait for their log.
   */
  async startServer(options: StartServerOptions = {}): Promise<StartedServer> {
    return this.startServerAhead(options).take();
  }

  /**
   * Starts another process now, as startServer() does, for a check to come: one that takes long
   * to start (step 12's cluster) starts while the checks before that one run. The check that calls
   * `take()` owns it from then on, as if it had started it: it fails if the process did not
   * listen, and the process ends after it. One never taken ends with the judgement, as every
   * process the checks start.
   */
  startServerAhead({ entry = 'index.ts', env = {} }: StartServerOptions = {}): ServerAhead {
    const starting = (async () => {
      const { StartedServer } = await import('./started-server.ts');
      const server = new StartedServer(this.servers.size + 1, this.relay);
      this.servers.set(server.id, server);
      const started = await this.relay.request('start-server', { server: server.id, entry, env });
      if (started.ok) noteAnswering(started.pid);
      return { server, started };
    })();
    // Its failure is told by the check that takes it, if one does.
    starting.catch(() => {});
    return {
      take: async () => {
        const { server, started } = await starting;
        if (!started.ok) {
          fail({ expected: `${entry} to start a server that listens`, actual: await this.describeStartFailure(started) });
        }
        server.url = urlOf(started.listening);
        server.pid = started.pid ?? 0;
        this.cleanups.push(async () => {
          await server.kill('SIGKILL');
          await server.exited;
        });
        return server;
      },
    };
  }

  /** Whether the check `id` runs in this judgement: every check does, unless it asked for some alone. */
  runs(id: string): boolean {
    return checksAsked()?.includes(id) ?? true;
  }

  /**
   * A Redis server for the checks: REDIS_URL if the learner set it, else a `redis-server` the
   * checker starts, one for the whole judgement. Fails the check, saying how to install Redis,
   * when there is none.
   */
  async redis(): Promise<{ url: string }> {
    const answer = await this.relay.request('redis', {});
    if (!answer.ok) fail({ expected: 'a Redis server for the checks of this step', actual: answer.message });
    return { url: answer.url };
  }

  /** Feeds the relay's events about the processes a check started to their handles. */
  noteServerEvent(event: Extract<RelayEvent, { type: 'server-output' | 'server-exited' }>): void {
    const server = this.servers.get(event.server);
    if (event.type === 'server-output') server?.log.append(event.stream, event.text);
    else server?.noteExited({ code: event.code, signal: event.signal });
  }

  async cleanUp(): Promise<void> {
    const cleanups = this.cleanups.splice(0);
    await Promise.all(cleanups.map((cleanup) => cleanup()));
  }

  private async describeStartFailure(started: Extract<ServerStart, { ok: false }>): Promise<string> {
    const { describeStartFailure } = await import('./describe-start-failure.ts');
    return describeStartFailure(started, this.learnerDir);
  }
}

function urlOf({ host, port }: Listening): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
}

async function openEngine(browser: BrowserChoice, url: string, clock: boolean): Promise<PageEngine> {
  if (browser.engine === 'chromium') {
    const { openChromiumPage } = await import('../browser/chromium-engine.ts');
    return openChromiumPage(browser, url, 4000, { clock });
  }
  const { openJsdomPage } = await import('../browser/jsdom-engine.ts');
  return openJsdomPage(url, 4000);
}

/**
 * Connects to Chromium ahead of the first page: loading playwright takes a while. Then makes two
 * blank pages, and a run primed ahead of its judgement more while `waiting()` (for the judgement
 * to begin): as many as the judgement before opened when `pagesAsBefore`.
 */
function warmUpChromium(address: ChromiumAddress, waiting: () => boolean, pagesAsBefore: boolean): void {
  import('../browser/chromium-engine.ts')
    .then(async ({ connectChromium, prepareBlankPages }) => {
      const browser = await connectChromium(address);
      prepareBlankPages(browser, waiting, pagesAsBefore);
    })
    // A failure shows, with its reason, when a check opens a page.
    .catch(() => {});
}

/** The app of the current judgement: `npm run watch` judges again in the same worker, with a new relay. */
let app: { relayPort: number; learner: Promise<LearnerApp>; began: Promise<void> } | undefined;
/** Where the current judgement's events come from, until its checks are over (stopHearingRelay). */
let relayHeard: RelayConnection | undefined;
/** The checks the judgement's go asked for, when not all of them. */
let askedChecks: readonly string[] | undefined;

/** The learner's app, once its server listens (the checker only runs checks once it does). */
export function learnerApp(): Promise<LearnerApp> {
  const { relayPort } = inject('checkContext');
  // Named by the judgement's go: a run primed ahead does not know yet which folder it will judge.
  let learnerDir = '';
  if (app?.relayPort === relayPort) return app.learner;
  let began: (() => void) | undefined;
  const judgementBegan = new Promise<void>((resolve) => (began = resolve));
  const learnerStarted = new Promise<LearnerApp>((resolve, reject) => {
    let learner: LearnerApp | undefined;
    const early: Parameters<LearnerLog['append']>[] = [];
    let chooseBrowser!: (browser: BrowserChoice) => void;
    const browser = new Promise<BrowserChoice>((resolveBrowser) => (chooseBrowser = resolveBrowser));
    const relay = subscribeToRelay(relayPort, (event) => {
      if (event.type === 'output') {
        if (learner) learner.log.append(event.stream, event.text);
        else early.push([event.stream, event.text]);
      } else if (event.type === 'browser') {
        if (event.browser.engine === 'chromium') noteAnswering(event.browser.pid);
        chooseBrowser(event.browser);
        if (event.browser.engine === 'chromium') warmUpChromium(event.browser, () => began !== undefined, event.pagesAsBefore === true);
      } else if (event.type === 'server-output' || event.type === 'server-exited') {
        learner?.noteServerEvent(event);
      } else if (event.type === 'unheard') {
        noteUnheard(event.socketId, event.event);
      } else if (event.type === 'listening') {
        noteAnswering(event.pid);
        learner = new LearnerApp(event.listening, learnerDir, browser, relay);
        for (const [stream, text] of early.splice(0)) learner.log.append(stream, text);
        resolve(learner);
      } else if (event.type === 'start-failed') {
        reject(new Error('the learner server did not start'));
      } else if (event.type === 'go') {
        forgetUnheard();
        learnerDir = event.learnerDir;
        askedChecks = event.only;
        began?.();
        began = undefined;
      } else if (event.type === 'abandoned') {
        began?.();
        began = undefined;
        reject(new Error('the judgement was abandoned'));
      }
    });
    relayHeard = relay;
  });
  app = { relayPort, learner: learnerStarted, began: judgementBegan };
  return learnerStarted;
}

/**
 * The judgement's checks are over: its relay is heard no more. An event that came later (the
 * browser, ready only once the checks were done) would have this run's modules start work, such
 * as importing playwright, after vitest has ended the run: vitest then waits for those imports at
 * the end of the next run in this thread, which never came, and the judgement never ended.
 */
export function stopHearingRelay(): void {
  relayHeard?.close();
}

/** The ids of the checks this judgement runs, when it runs only some (known once it has begun). */
export function checksAsked(): readonly string[] | undefined {
  return askedChecks;
}

/**
 * Resolves once the judgement has begun. A primed run (see judge-step.ts) loads the checks and
 * connects to the browser ahead of its judgement, then waits here, before any check starts its
 * clock, until the checker says go.
 */
export function judgementBegan(): Promise<void> {
  void learnerApp().catch(() => {});
  return app!.began;
}
