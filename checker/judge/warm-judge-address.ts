// Where a warm judge can be found, and whether it judges as this process would. The judge that
// `npm start` keeps (warm-judge-server.ts) writes its address to the kit's state folder; a
// `npm run check` reads it there (warm-judge-client.ts). Both sides compare what makes a verdict:
// the kit's code, Node.js, the course's folder and the settings of the environment that the
// checks read. When any of these differ, the checker judges alone, as it would without the site.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { stepsRoot } from '../course/steps.ts';
import { stateDir } from '../progress/state-dir.ts';

export interface WarmJudgeAddress {
  pid: number;
  port: number;
  /** Asked of every request: only a process that can read the kit's state folder may ask. */
  token: string;
  /** What the judge's verdicts depend on, beside the files it judges. */
  setting: string;
}

/** The environment variables that change how a step is judged. */
const judgingVariables = ['CHECK_ENGINE', 'CHECK_TRACE', 'CHROME_PATH', 'REDIS_URL', 'NODE_OPTIONS', 'CI'];

/** The kit's bundle, Node.js, the steps' folder and the judging variables, as one string. */
export function judgingSetting(env: NodeJS.ProcessEnv = process.env): string {
  return JSON.stringify([env['WORKSHOP_KIT_BUNDLE'] ?? '', process.version, stepsRoot, ...judgingVariables.map((name) => env[name] ?? '')]);
}

/** Off in the kit's own tests, where many sites come and go (WORKSHOP_WARM_JUDGE=off). */
export function warmJudgeWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  // Without a bundle (the kit's modules run by a TypeScript loader) there is no code to compare.
  return env['WORKSHOP_WARM_JUDGE'] !== 'off' && Boolean(env['WORKSHOP_KIT_BUNDLE']);
}

function addressFile(): string {
  return join(stateDir(), 'warm-judge.json');
}

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

/** Readable by this user alone: the token in it lets a process have code judged. */
export async function writeAddress(address: WarmJudgeAddress): Promise<void> {
  mkdirSync(stateDir(), { recursive: true });
  await writeFileAtomic(addressFile(), `${JSON.stringify(address)}\n`, { mode: 0o600 });
}

export function readAddress(): WarmJudgeAddress | undefined {
  try {
    const parsed = JSON.parse(readFileSync(addressFile(), 'utf8')) as Partial<WarmJudgeAddress>;
    if (typeof parsed.port !== 'number' || typeof parsed.token !== 'string' || typeof parsed.pid !== 'number' || typeof parsed.setting !== 'string') return undefined;
    return parsed as WarmJudgeAddress;
  } catch {
    return undefined;
  }
}

/** Removes the address if it is still this judge's: another site started since has its own. */
export function removeAddress(pid: number): void {
  if (readAddress()?.pid === pid) rmSync(addressFile(), { force: true });
}
