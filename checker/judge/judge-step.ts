// Judges one step: starts the learner's code, a browser if the step's checks open a page, and
// vitest, all at once (each takes a few hundred milliseconds), then runs the step's checks.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot, variantDir, type Step, type Variant } from '../course/steps.ts';
import { findBrowser } from '../browser/find-browser.ts';
import { launchBrowser, type LaunchedBrowser } from '../browser/launch-browser.ts';
import { LearnerStartError, startLearnerServer, type StartFailure } from '../learner/learner-process.ts';
import { readCrashReport, type CrashReport } from '../learner/crash-report.ts';
import { startRelay } from '../learner/relay.ts';
import type { BrowserChoice } from '../checks/context.ts';
import { ResultCollector, type CheckResult } from './collect-results.ts';
import { typecheck, type TypeErrorNote } from './typecheck.ts';
import { trace } from './trace.ts';

export type Verdict =
  | { kind: 'checked'; passed: boolean; results: CheckResult[]; errors: string[] }
  | { kind: 'did-not-start'; failure: StartFailure; crash: CrashReport; output: string; stdout: string; truncated: boolean };

export interface Judgement {
  step: Step;
  variant: Variant;
  verdict: Verdict;
  typeErrors: TypeErrorNote[];
  engine: BrowserChoice['engine'] | 'none';
  /** Why a browser that was found could not be used, when the pages were checked in jsdom instead. */
  browserFailure?: string;
  ms: number;
}

export interface JudgeOptions {
  /** Leave out the type check (`npm run check` of every step, for speed). */
  typecheck?: boolean;
  /** Judge the files in this folder instead of the step's own (authors, the kit's tests). */
  dir?: string;
}

export function checkFileOf(step: Step): string {
  return join(step.dir, 'check.ts');
}

export async function judgeStep(step: Step, variant: Variant, options: JudgeOptions = {}): Promise<Judgement> {
  const started = performance.now();
  const dir = options.dir ?? variantDir(step, variant);
  const checkFile = checkFileOf(step);
  // Only a step whose checks open a page needs a browser: starting one takes CPU from the rest.
  const needsPage = readFileSync(checkFile, 'utf8').includes('openPage(');

  trace('judging starts');
  const learner = startLearnerServer({ dir });
  void learner.listening.then(() => trace('learner server listens'), () => {});
  const typeErrors = options.typecheck === false ? Promise.resolve([]) : typecheck(join(dir, 'index.ts'));
  // CHECK_ENGINE=jsdom forces the fallback engine, to test it where a browser is installed.
  const browserPath = needsPage && process.env['CHECK_ENGINE'] !== 'jsdom' ? findBrowser() : undefined;
  const browser: Promise<LaunchedBrowser | undefined> = browserPath ? launchBrowser(browserPath) : Promise.resolve(undefined);
  const relay = await startRelay(learner);
  let engine: Judgement['engine'] = 'none';
  let browserFailure: string | undefined;
  void browser.then(
    (launched) => {
      const choice: BrowserChoice = launched ? { engine: 'chromium', wsEndpoint: launched.wsEndpoint } : { engine: 'jsdom' };
      if (needsPage) engine = choice.engine;
      relay.publish({ type: 'browser', browser: choice });
      trace(`browser ready: ${choice.engine}`);
    },
    (error: Error) => {
      engine = 'jsdom';
      browserFailure = error.message;
      relay.publish({ type: 'browser', browser: { engine: 'jsdom' } });
    },
  );
  // Imported only now, so that the learner's process and the browser start first.
  const { createVitest } = await import('vitest/node');
  trace('vitest imported');
  let vitest: Awaited<ReturnType<typeof createVitest>> | undefined;
  try {
    const collector = new ResultCollector();
    vitest = await createVitest(
      'test',
      {
        config: false,
        root: repoRoot,
        include: [relative(repoRoot, checkFile)],
        watch: false,
        pool: 'threads',
        isolate: false,
        fileParallelism: false,
        maxWorkers: 1,
        // The first failure is the one to fix; stopping there keeps a failing run short.
        bail: 1,
        experimental: { fsModuleCache: true },
        testTimeout: 6000,
        hookTimeout: 6000,
        reporters: [collector],
        provide: { checkContext: { relayPort: relay.port, learnerDir: dir } },
      },
      { server: { watch: null } },
    );
    trace('vitest created');
    const run = vitest.start();
    const startError = await learner.listening.then(
      () => undefined,
      (error: unknown) => error,
    );
    let verdict: Verdict;
    if (startError instanceof LearnerStartError) {
      await learner.stop();
      verdict = {
        kind: 'did-not-start',
        failure: startError.failure,
        crash: readCrashReport(learner.output.text('stderr'), dir, repoRoot),
        output: learner.output.text(),
        stdout: learner.output.text('stdout'),
        truncated: learner.output.truncated,
      };
    } else {
      await run;
      trace('checks done');
      const { results, errors } = collector;
      const passed = results.length > 0 && errors.length === 0 && results.every((result) => result.state !== 'failed');
      verdict = { kind: 'checked', passed, results, errors };
    }
    return { step, variant, verdict, typeErrors: await typeErrors, engine, browserFailure, ms: performance.now() - started };
  } finally {
    await learner.stop();
    (await browser.catch(() => undefined))?.close();
    // The relay stays open until vitest is closed: a worker that connects late still learns
    // that the learner's code did not start, and ends its checks at once.
    await vitest?.close();
    relay.close();
    trace('cleaned up');
  }
}
