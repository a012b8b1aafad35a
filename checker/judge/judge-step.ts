// Judges a step: starts the learner's code, a browser if the step's checks open a page, and
// vitest, all at once (each takes a few hundred milliseconds), then runs the step's checks.
// A session keeps vitest, its worker and the browser between judgements: `npm run watch` judges
// the same step again at every save, and only the learner's server is started anew. A session
// turns from step to step (`npm run check` of every step, the warm checker of `npm start` when a
// learner moves on): the next step's checks run in the same vitest, thread and browser.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { repoRoot, variantDir, type Step, type Variant } from '../course/steps.ts';
import { findBrowser } from '../browser/find-browser.ts';
import { launchBrowser, type LaunchedBrowser } from '../browser/launch-browser.ts';
import { LearnerStartError, type LearnerServer, type StartFailure } from '../learner/learner-process.ts';
import { readCrashReport, type CrashReport } from '../learner/crash-report.ts';
import { startRelay, type Relay } from '../learner/relay.ts';
import type { BrowserChoice } from '../checks/context.ts';
import { stuckAfterMs } from '../checks/stuck-after.ts';
import { ResultCollector, type CheckResult } from './collect-results.ts';
import { JudgementProcesses } from './judgement-processes.ts';
import { keptThreadPool } from './kept-thread-pool.ts';
import { startTypecheck, type TypeErrorNote } from './typecheck.ts';
import { explainError, lineAt, readSource } from '../checks/error-causes.ts';
import { trace } from './trace.ts';

export type Verdict =
  | { kind: 'checked'; passed: boolean; results: CheckResult[]; errors: string[] }
  | {
      kind: 'did-not-start';
      failure: StartFailure;
      crash: CrashReport;
      /** What to change, when the crash is one of the errors error-causes.ts knows. */
      cause?: string;
      output: string;
      stdout: string;
      truncated: boolean;
    };

export interface Judgement {
  step: Step;
  variant: Variant;
  verdict: Verdict;
  typeErrors: TypeErrorNote[];
  /** Set when the type check did not answer within this many ms after the checks: its errors are then unknown. */
  typecheckUnfinishedMs?: number;
  engine: BrowserChoice['engine'] | 'none';
  /** Why a browser that was found could not be used, when the pages were checked in jsdom instead. */
  browserFailure?: string;
  ms: number;
  /** Judged by the warm judge of `npm start` (warm-judge-server.ts) rather than by this process. */
  warm?: boolean;
}

export interface JudgeOptions {
  /** Leave out the type check (`npm run check` of every step, for speed). */
  typecheck?: boolean;
  /** Judge the files in this folder instead of the step's own (authors, the kit's tests). */
  dir?: string;
  /**
   * Judge in this process, without asking the warm checker of `npm start` first: for `npm run
   * check` of every step, which it cannot speed up (each step would make it start afresh).
   */
  alone?: boolean;
  /**
   * After each judgement, prepare the next one ahead: vitest's run with the checks loaded, waiting
   * for it ('checks'), and for sessions that judge one folder again and again (`npm run watch`, the
   * warm checker of `npm start`), the learner's process with its libraries loaded too.
   */
  ahead?: 'checks' | 'checks and learner';
}

export interface JudgeSession {
  /**
   * Judges the files as they are now, one judgement at a time: the session's folder, or `otherDir`
   * (an author judging many variants of a step with one warm vitest and browser). `typecheck`
   * overrides the session's option for this judgement; `only` runs the checks with these ids
   * alone (the kit's tests of variants: a learner's verdict always comes from every check).
   */
  judge(otherDir?: string, choices?: { typecheck?: boolean; only?: string[] }): Promise<Judgement>;
  /** With options.ahead: prepares the first judgement of the session's folder ahead, as each later one is. */
  prepare(): Promise<void>;
  /**
   * Its next judgements are `step`'s, of `variant` (the session's, unless given): that step's
   * checks, run by the same vitest in the same thread, and its pages opened in the same browser.
   * What was prepared ahead for the step before is abandoned.
   */
  turnTo(step: Step, variant?: Variant): Promise<void>;
  close(): Promise<void>;
}

type Vitest = Awaited<ReturnType<(typeof import('vitest/node'))['createVitest']>>;

export function checkFileOf(step: Step): string {
  return join(step.dir, 'check.ts');
}

/** Every step's check file beside `step`'s, as vitest's include: a session runs the one of the step it judges. */
function everyCheckFileBeside(step: Step): string {
  return relative(repoRoot, join(dirname(step.dir), '*', 'check.ts'));
}

export async function judgeStep(step: Step, variant: Variant, options: JudgeOptions = {}): Promise<Judgement> {
  const session = openJudgeSession(step, variant, options);
  try {
    return await session.judge();
  } finally {
    await session.close();
  }
}

export function openJudgeSession(firstStep: Step, firstVariant: Variant, options: JudgeOptions = {}): JudgeSession {
  // The step judged now and its variant (turnTo changes them), its folder and its checks.
  let step = firstStep;
  let variant = firstVariant;
  const sessionDir = () => options.dir ?? variantDir(step, variant);
  const checkFile = () => checkFileOf(step);
  const collector = new ResultCollector();
  let vitest: Promise<Vitest> | undefined;
  let browser: Promise<LaunchedBrowser | undefined> | undefined;
  // The relay of the last judgement stays open until the next one (or the end): a worker that
  // connects late still learns that the learner's code did not start, and ends its checks at once.
  let lastRelay: Relay | undefined;
  let closed = false;
  const threadPool = keptThreadPool();
  /** What was started ahead of the next judgement (options.ahead): its checks, and the learner's process of a folder. */
  let ahead: { relay: Relay; run: Promise<unknown>; learner?: { dir: string; server: LearnerServer } } | undefined;

  const createVitest = async (relay: Relay) => {
    // Imported only now, so that the learner's process and the browser start first.
    const { createVitest } = await import('vitest/node');
    trace('vitest imported');
    const created = await createVitest(
      'test',
      {
        config: false,
        root: repoRoot,
        include: [everyCheckFileBeside(step)],
        watch: false,
        // One thread, kept between judgements: playwright loads once, and connects once to the browser.
        pool: threadPool,
        isolate: false,
        fileParallelism: false,
        maxWorkers: 1,
        // The first failure is the one to fix; stopping there keeps a failing run short.
        bail: 1,
        // Compiled check modules are kept on disk between runs (vitest 5's default, relied on here).
        fsModuleCache: true,
        // check() gives each check this limit; a hook has the same.
        testTimeout: stuckAfterMs,
        hookTimeout: stuckAfterMs,
        reporters: [collector],
        provide: { checkContext: { relayPort: relay.port } },
      },
      { server: { watch: null } },
    );
    trace('vitest created');
    return created;
  };

  /** Starts a run of the checks against `relay`; they wait for its `go` before any of them starts. */
  const startRun = async (relay: Relay): Promise<{ run: Promise<unknown> }> => {
    const firstRun = !vitest;
    vitest ??= createVitest(relay);
    const instance = await vitest;
    instance.provide('checkContext', { relayPort: relay.port });
    collector.results = [];
    collector.errors = [];
    // Only the step's own check file, of all those vitest includes.
    const run = firstRun ? instance.start([checkFile()]) : instance.runTestFiles([checkFile()]);
    // Awaited by the judgement; a primed run that is abandoned is awaited too, its failure ignored.
    run.catch(() => {});
    return { run };
  };

  /** Tells what was started ahead that its judgement will not come, and waits for its checks to end. */
  const abandonAhead = async () => {
    const abandoned = ahead;
    ahead = undefined;
    if (!abandoned) return;
    abandoned.relay.publish({ type: 'abandoned' });
    await Promise.all([abandoned.run.catch(() => {}), abandoned.learner?.server.stop()]);
    abandoned.relay.close();
  };

  /**
   * After a judgement (options.ahead): vitest's next run is started, its checks loaded and the
   * browser connected, waiting at the top of checks/check.ts for the next judgement's go, which
   * names the folder. For sessions that judge one folder again and again, the learner's next
   * process of `dir` is started too, its libraries loaded, waiting for its go
   * (preload/wait-for-go.ts). Either way the learner's files are read only from the go on, so
   * nothing of what is judged is older than the judgement.
   */
  const prepareAhead = async (dir: string) => {
    const relay = await startRelay();
    const launched = await browser?.catch(() => undefined);
    if (launched) relay.publish({ type: 'browser', browser: chromiumChoice(launched), pagesAsBefore: options.ahead === 'checks and learner' });
    const learner = options.ahead === 'checks and learner' ? { dir, server: JudgementProcesses.spare(dir) } : undefined;
    ahead = { relay, learner, ...(await startRun(relay)) };
    trace('next judgement prepared');
  };

  /** Only a step whose checks open a page needs a browser: starting one takes CPU from the rest. */
  const needsPage = () => readFileSync(checkFile(), 'utf8').includes('openPage(');
  /** The browser's path, when the step needs one and there is one; launched once per session. */
  const findAndLaunchBrowser = (pages: boolean) => {
    // CHECK_ENGINE=jsdom forces the fallback engine, to test it where a browser is installed.
    const browserPath = pages && process.env['CHECK_ENGINE'] !== 'jsdom' ? findBrowser() : undefined;
    if (browserPath) browser ??= launchBrowser(browserPath);
    return browserPath;
  };

  /** The first run's thread, started at once with the libraries its checks load (kept-thread-pool.ts). */
  const startThreadAhead = (pages: boolean, browserPath: string | undefined) => {
    const pageLibrary = pages ? [browserPath ? 'playwright-core' : 'jsdom'] : [];
    threadPool.startAhead(['socket.io-client', ...pageLibrary]);
  };

  const judge = async (otherDir?: string, { typecheck: typecheckNow = options.typecheck, only }: { typecheck?: boolean; only?: string[] } = {}): Promise<Judgement> => {
    const started = performance.now();
    const dir = otherDir ?? sessionDir();
    const pages = needsPage();
    trace('judging starts');
    // The checks prepared ahead serve any folder; the learner's process, only its own, while it waits.
    const prepared = ahead;
    ahead = undefined;
    const spare = prepared?.learner;
    const ownSpare = spare && spare.dir === dir && isWaiting(spare.server) ? spare.server : undefined;
    if (spare && !ownSpare) void spare.server.stop();
    const processes = new JudgementProcesses(dir, ownSpare);
    const learner = processes.first;
    void learner.listening.then(() => trace('learner server listens'), () => {});
    const typeCheck = typecheckNow === false ? undefined : startTypecheck(join(dir, 'index.ts'));
    const browserPath = findAndLaunchBrowser(pages);
    if (!vitest) startThreadAhead(pages, browserPath);
    const thisBrowser = browserPath ? browser! : Promise.resolve(undefined);
    lastRelay?.close();
    const relay = prepared?.relay ?? (await startRelay());
    relay.go(dir, learner, (request) => processes.answer(request), only);
    processes.publishTo(relay.publish);
    lastRelay = relay;
    let engine: Judgement['engine'] = 'none';
    let browserFailure: string | undefined;
    void thisBrowser.then(
      (launched) => {
        const choice: BrowserChoice = launched ? chromiumChoice(launched) : { engine: 'jsdom' };
        if (pages) engine = choice.engine;
        relay.publish({ type: 'browser', browser: choice });
        trace(`browser ready: ${choice.engine}`);
      },
      (error: Error) => {
        engine = 'jsdom';
        browserFailure = error.message;
        // A browser that failed to start is tried again at the next judgement.
        browser = undefined;
        relay.publish({ type: 'browser', browser: { engine: 'jsdom' } });
      },
    );
    try {
      const { run } = prepared ?? (await startRun(relay));
      const startError = await learner.listening.then(
        () => undefined,
        (error: unknown) => error,
      );
      let verdict: Verdict;
      if (startError instanceof LearnerStartError) {
        await learner.stop();
        // The checks end at once (the relay says the code did not start): wait for them, so
        // that the next judgement starts from an idle worker.
        await run.catch(() => {});
        const crash = readCrashReport(learner.output.text('stderr'), dir, repoRoot);
        verdict = {
          kind: 'did-not-start',
          failure: startError.failure,
          crash,
          cause: crash.message && explainError(crash.message, { codeLine: lineAt(crash.location, repoRoot), source: readSource(join(dir, 'index.ts')) }),
          output: learner.output.text(),
          stdout: learner.output.text('stdout'),
          truncated: learner.output.truncated,
        };
      } else {
        await run;
        trace('checks done');
        const { results, errors } = collector;
        const passed = results.length > 0 && errors.length === 0 && results.every((result) => result.state !== 'failed');
        verdict = { kind: 'checked', passed, results: [...results], errors: [...errors] };
      }
      const typed = (await typeCheck?.finish()) ?? { notes: [] };
      if (typeCheck) trace('type check done');
      const types = 'notes' in typed ? { typeErrors: typed.notes } : { typeErrors: [], typecheckUnfinishedMs: typed.waitedMs };
      return { step, variant, verdict, ...types, engine, browserFailure, ms: performance.now() - started };
    } finally {
      typeCheck?.abandon();
      await processes.stopAll();
      trace('learner stopped');
      if (options.ahead && !closed) await prepareAhead(dir).catch(() => abandonAhead());
    }
  };

  return {
    judge,
    async prepare() {
      if (!options.ahead || ahead || closed) return;
      const pages = needsPage();
      const browserPath = findAndLaunchBrowser(pages);
      if (!vitest) startThreadAhead(pages, browserPath);
      await prepareAhead(sessionDir()).catch(() => abandonAhead());
    },
    async turnTo(nextStep, nextVariant = variant) {
      if (nextStep.folder === step.folder && nextVariant === variant) return;
      await abandonAhead();
      step = nextStep;
      variant = nextVariant;
      trace(`turned to ${step.folder}`);
    },
    async close() {
      closed = true;
      await abandonAhead();
      const browserClosed = (await browser?.catch(() => undefined))?.close();
      await (await vitest?.catch(() => undefined))?.close();
      await threadPool.close();
      await browserClosed;
      lastRelay?.close();
      trace('cleaned up');
    },
  };
}

/** What the checks are told of a browser the session launched: how to reach it, and which process to count a page's time in. */
function chromiumChoice({ wsEndpoint, artifactsDir, pid }: LaunchedBrowser): BrowserChoice {
  return { engine: 'chromium', wsEndpoint, artifactsDir, pid };
}

/** Whether a learner's process started ahead still waits for its go. */
function isWaiting(learner: LearnerServer): boolean {
  return learner.child.exitCode === null && learner.child.signalCode === null && learner.child.connected;
}
