// Has the warm judge of `npm start` (warm-judge-server.ts) judge a step, when one runs and judges
// as this process would; otherwise says so (undefined), and the checker judges alone. Nothing is
// lost either way: the verdict is the same, only the wait differs.
import { request } from 'node:http';
import type { Step, Variant } from '../course/steps.ts';
import type { Judgement, JudgeOptions } from './judge-step.ts';
import { trace } from './trace.ts';
import { judgingSetting, readAddress, warmJudgeWanted } from './warm-judge-address.ts';
import type { WarmJudgeRequest } from './warm-judge-server.ts';

/** Far longer than any judgement: past it, the judge is taken to be stuck and the checker judges alone. */
const answerWithinMs = 5 * 60_000;

export async function judgeWithWarmJudge(step: Step, variant: Variant, options: JudgeOptions): Promise<Judgement | undefined> {
  if (!warmJudgeWanted()) return undefined;
  const address = readAddress();
  if (!address) return undefined;
  const asked: WarmJudgeRequest = { step: step.folder, variant, dir: options.dir, typecheck: options.typecheck, setting: judgingSetting() };
  const answer = await post(address.port, address.token, asked);
  trace(`warm judge answered ${answer?.status ?? 'nothing'}`);
  if (answer?.status !== 200) return undefined;
  const { judgement } = JSON.parse(answer.body) as { judgement: Judgement };
  return { ...judgement, step, warm: true };
}

function post(port: number, token: string, body: object): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const asking = request(
      { host: '127.0.0.1', port, path: '/judge', method: 'POST', headers: { 'content-type': 'application/json', 'x-warm-judge-token': token }, timeout: answerWithinMs },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on('error', () => resolve(undefined));
      },
    );
    // No judge there (the site has stopped), or it went away: the checker judges alone.
    asking.on('error', () => resolve(undefined));
    asking.on('timeout', () => {
      asking.destroy();
      resolve(undefined);
    });
    asking.end(JSON.stringify(body));
  });
}
