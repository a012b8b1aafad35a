// Starts the warm judge (warm-judge-server.ts) beside the site of `npm start`, and starts it
// again when it asks to be (the kit's code changed, or a judgement was abandoned). It ends with
// the site, however the site ends.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../course/steps.ts';
import { trackKitProcess } from '../processes/child-processes.ts';
import { warmJudgeWanted } from './warm-judge-address.ts';
import { restartMeCode } from './warm-judge-server.ts';

/** More restarts than this within a minute means something is wrong: the checker then judges alone. */
const restartsPerMinute = 10;

/** `onStopped` hears one sentence if the warm judge stops for good. */
export function startWarmJudge(onStopped: (sentence: string) => void): void {
  if (!warmJudgeWanted()) return;
  const restarts: number[] = [];
  const start = () => {
    const child = spawn(process.execPath, [join(repoRoot, 'checker', 'kit.js'), 'judge-server'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    trackKitProcess(child);
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      // CHECK_TRACE lines go on to the site's terminal; the rest is kept for the sentence below.
      if (process.env['CHECK_TRACE']) process.stderr.write(chunk);
      stderr = (stderr + chunk).slice(-2000);
    });
    child.once('exit', (code, signal) => {
      const now = Date.now();
      restarts.push(now);
      while (restarts[0]! < now - 60_000) restarts.shift();
      if (code === restartMeCode && restarts.length <= restartsPerMinute) return start();
      const how = signal ? `by ${signal}` : `with exit code ${code}`;
      const said = stderr.trim().split('\n').findLast((line) => /\S/.test(line));
      onStopped(`The site's warm checker stopped ${how}${said ? ` ("${said.trim()}")` : ''}: \`npm run check\` judges on its own now, a little slower, until \`npm start\` is started again.`);
    });
  };
  start();
}
