// `npm start`: until the workshop site exists, prints the course and how to begin.
import pc from 'picocolors';
import { listSteps } from '../course/steps.ts';
import { lessonPath } from '../report/print-judgement.ts';

export async function run(): Promise<number> {
  const steps = await listSteps();
  console.log(pc.bold('Build a real-time chat with WebSockets and Socket.IO, one step at a time.\n'));
  for (const step of steps) console.log(`  ${String(step.number).padStart(2, '0')}  ${step.title.replace(/^Step \d+\s*[·:.-]\s*/, '').padEnd(34)} ${pc.dim(lessonPath(step))}`);
  const first = steps[0];
  if (first) {
    console.log(`\nStart with step ${first.number}: read ${lessonPath(first)}, then`);
    console.log(`  npm run step ${first.number}     runs your code (and restarts it on save)`);
    console.log(`  npm run check ${first.number}    checks it and tells you what to do next`);
  }
  return 0;
}
