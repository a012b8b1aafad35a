// The warm judge: a process that `npm start` keeps beside the site, holding vitest, its worker and
// the browser, turned to the step asked for, so that `npm run check` (warm-judge-client.ts) skips
// their start-up, about a second and a half of every check, also when the learner moves on to
// another step. It judges what the checker asks, one judgement at a time, the files as they are
// at that moment: the learner's server is started anew each time, as in a cold check. It never
// judges with code older than the asker's: when the kit's code has changed, it says so and ends,
// and the site starts a fresh one (exit code 75); when a step's check file has changed since its
// vitest loaded it, a new vitest is started. When the asker goes away in the middle (Ctrl+C), the
// judgement must end with it: the judge ends everything it started and itself, and the site
// starts a fresh one.
import { statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { findStep, listSteps, type Step, type Variant } from '../course/steps.ts';
import { killAll } from '../processes/child-processes.ts';
import { checkFileOf, openJudgeSession, type JudgeSession } from './judge-step.ts';
import { firstUnfinishedStep } from '../progress/first-unfinished.ts';
import { trace } from './trace.ts';
import { judgingSetting, newToken, removeAddress, writeAddress } from './warm-judge-address.ts';

/** The exit code that asks the site for a fresh judge. */
export const restartMeCode = 75;

export interface WarmJudgeRequest {
  /** The step's folder, e.g. `04-emit`. */
  step: string;
  variant: Variant;
  dir?: string;
  typecheck?: boolean;
  /** judgingSetting() of the asker. */
  setting: string;
}

interface WarmSession {
  session: JudgeSession;
  /** Each check file as it was when the session's vitest first loaded it: an edited one needs a new vitest. */
  checkFileStamps: Map<string, string>;
}

function warmSession(step: Step, variant: Variant): WarmSession {
  return { session: openJudgeSession(step, variant, { ahead: 'checks and learner' }), checkFileStamps: new Map() };
}

function stampOf(file: string): string {
  try {
    const { mtimeMs, size } = statSync(file);
    return `${mtimeMs}:${size}`;
  } catch {
    return 'missing';
  }
}

/** Listens on loopback, writes its address for the checker to find, and serves until it is ended. */
export async function serveWarmJudge(): Promise<void> {
  const token = newToken();
  const setting = judgingSetting();
  const ownBundle = process.env['WORKSHOP_KIT_BUNDLE'];
  let warm: WarmSession | undefined;
  // One judgement at a time: each waits for the one before.
  let queue: Promise<unknown> = Promise.resolve();

  /** Ends what the judge started, and the judge: the site starts another. */
  const endForRestart = () => {
    killAll();
    process.exit(restartMeCode);
  };

  /** The session, turned to `step`'s `variant`; a new one when that step's checks were edited since it loaded them. */
  const sessionOf = async (step: Step, variant: Variant): Promise<JudgeSession> => {
    const checkFile = checkFileOf(step);
    const stamp = stampOf(checkFile);
    if (warm && (warm.checkFileStamps.get(checkFile) ?? stamp) !== stamp) {
      // This vitest holds the old checks: it makes way for a new one.
      await warm.session.close();
      warm = undefined;
    }
    warm ??= warmSession(step, variant);
    warm.checkFileStamps.set(checkFile, stamp);
    await warm.session.turnTo(step, variant);
    return warm.session;
  };

  const judge = async (request: WarmJudgeRequest, response: ServerResponse) => {
    const steps = await listSteps();
    const step = findStep(steps, request.step);
    if (!step || step.folder !== request.step) return reply(response, 404, { reason: `no step "${request.step}"` });
    const session = await sessionOf(step, request.variant);
    trace(`warm judge: ${request.step} ${request.dir ?? request.variant}`);
    const judgement = await session.judge(request.dir, { typecheck: request.typecheck });
    reply(response, 200, { judgement });
    // The learner's own step passes: their next check is most likely of the next step, once they
    // have read its lesson and written some code. Its checks, and a process of its files waiting
    // for their go, are made ready meanwhile, after this verdict (the next judgement waits for it).
    const next = steps[steps.indexOf(step) + 1];
    if (next && request.variant === 'learner' && request.dir === undefined && judgement.verdict.kind === 'checked' && judgement.verdict.passed) {
      queue = queue.then(async () => (await sessionOf(next, 'learner')).prepare()).catch(() => {});
    }
  };

  const server = createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/judge' || request.headers['x-warm-judge-token'] !== token) {
      return reply(response, 403, { reason: 'not a request of this kit' });
    }
    void readJson(request).then(async (body) => {
      const asked = body as WarmJudgeRequest;
      if (asked.setting !== setting) {
        const [askerBundle] = JSON.parse(asked.setting) as string[];
        if (askerBundle !== ownBundle) {
          // The kit's code changed since this judge started: it must not judge with the old.
          reply(response, 409, { reason: 'the kit changed' });
          response.once('finish', endForRestart);
          return;
        }
        return reply(response, 409, { reason: 'another setting' });
      }
      let judging = false;
      let gone = false;
      // The asker went away before its verdict (Ctrl+C): what was started for it must end now.
      response.once('close', () => {
        gone = !response.writableFinished;
        if (gone && judging) endForRestart();
      });
      const turn = queue.then(() => {
        if (gone) return;
        judging = true;
        return judge(asked, response);
      });
      queue = turn.catch(() => {});
      await turn;
    }).catch((error: Error) => {
      // A judge that failed may hold a broken vitest: the asker judges alone, and the site starts a fresh one.
      if (!response.headersSent) reply(response, 500, { reason: error.message });
      response.once('finish', endForRestart);
    });
  });
  // Each check asks once, on a connection of its own: none is kept open between checks.
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  process.once('exit', () => removeAddress(process.pid));
  await writeAddress({ pid: process.pid, port, token, setting });
  trace(`warm judge listens on ${port}`);
  // The learner's next `npm run check` is most likely of the first step not passed yet: it is
  // prepared now, unless a request came first.
  const next = await firstUnfinishedStep(await listSteps()).catch(() => undefined);
  queue = queue
    .then(async () => {
      if (next && !warm) await (await sessionOf(next, 'learner')).prepare();
    })
    .catch(() => {});
}

function reply(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return JSON.parse(text);
}
