// How a step declares a check: an id (stable, for hints and progress), the sentence a learner
// reads, and the code that proves it against the learner's running app. This module is the one
// surface a step's checks import: it re-exports every helper and type they may use.
import { afterAll, test } from 'vitest';
import { checksAsked, judgementBegan, learnerApp, stopHearingRelay, type LearnerApp } from './learner-app.ts';
import { trace } from '../judge/trace.ts';
import { stuckAfterMs } from './stuck-after.ts';

export { fail, CheckFailure } from './check-failure.ts';
export type { LearnerApp, ServerAhead } from './learner-app.ts';
export type { CuttableProxy } from './cuttable-proxy.ts';
export type { ServerExit, StartedServer } from './started-server.ts';
export type { Edits, ListedSurvivor, StepVariants, VariantCase } from './variant-case.ts';
export type { ConnectOptions, ReceivedEvents } from './socket-client.ts';
export { isRefusal } from './socket-client.ts';
export type { LearnerLog } from './learner-log.ts';
export type { ChatPage } from '../browser/chat-page.ts';
export { ConditionWaiters } from './condition-waiters.ts';
export { words } from './lenient-match.ts';
export { answerWithinMs, seconds } from './deadlines.ts';
export { accepted, askServer, askServerWithin, expectServerAlive, joinOrFail, json, keepTypingUntil, lostConnection, noAnswerTo, noAnswerWithin, refused, unheardOr, whyNotLetIn, type AliveExpectation, type JoinExpectation } from './chat-toolkit.ts';
export { unheardEventNames, untilUnheard } from './unheard-events.ts';
export { portNamedInEnvironment } from '../learner/learner-process.ts';
export { letTimePass, pageClock, pageNow, pageShowsWithin, waitThroughTime, type SkippableClock, type SkippedTimeWait } from './skipped-time.ts';
export { retryAtOnce } from './page-reconnection.ts';
export { expectTypersClearedOnReconnect, type Typer } from './typing-line.ts';

export interface CheckOptions {
  /** Skip the check, saying why, when it needs a real browser and only jsdom is available. */
  needsRealBrowser?: boolean;
}

/** The ids of the checks declared, to tell a judgement that asked for one no step has. */
const declared = new Set<string>();

export function check(id: string, title: string, body: (app: LearnerApp) => Promise<void>, options: CheckOptions = {}): void {
  declared.add(id);
  // Left out, not skipped: a judgement that asks for some checks reports those alone.
  if (checksAsked()?.includes(id) === false) return;
  test(title, async ({ task, skip }) => {
    task.meta.checkId = id;
    const app = await learnerApp();
    trace(`check starts: ${id}`);
    if (options.needsRealBrowser && (await app.engine()) !== 'chromium') {
      skip('needs a real browser: install Chrome or Chromium to check it');
    }
    try {
      await body(app);
    } finally {
      await app.cleanUp();
      trace(`check ends: ${id}`);
    }
  }, stuckAfterMs);
}

trace('check helpers loaded');
// Listen to the learner's process from now on, while vitest still prepares the checks; in a run
// primed ahead of its judgement, wait here for it to begin, before any check's time counts.
await judgementBegan();
trace('judgement began');
afterAll(async () => {
  // Nothing the checker says after the checks may start work in this run (learner-app.ts).
  stopHearingRelay();
  // The pages this judgement opened tell the next how many to make ahead (browser/chromium-engine.ts).
  (await import('../browser/chromium-engine.ts')).noteJudgementEnd();
});
afterAll(() => {
  const unknown = checksAsked()?.filter((id) => !declared.has(id)) ?? [];
  if (unknown.length > 0) throw new Error(`no check of this step has the id ${unknown.map((id) => `"${id}"`).join(' or ')}; its checks are ${[...declared].map((id) => `"${id}"`).join(', ')}`);
});

declare module 'vitest' {
  interface TaskMeta {
    checkId?: string;
  }
}
