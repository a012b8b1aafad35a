// `node checker/kit.js judge-server`: not for people. `npm start` runs it beside the site, as the
// warm judge that `npm run check` asks first (checker/judge/warm-judge-server.ts).
import { serveWarmJudge } from '../judge/warm-judge-server.ts';

export async function run(): Promise<number> {
  await serveWarmJudge();
  // Serves until the site ends it.
  return new Promise<number>(() => {});
}
