// `npm run check N -- --mutants`, for the course's authors: how many mistakes do the step's checks
// catch? Stryker changes the step's reference solution one small piece at a time (a condition
// turned, a string emptied, a call removed: a "mutant"), runs `npm run check N -- --solution`
// against each, and counts the mutants the checks failed ("killed"). A surviving mutant is a
// mistake a learner could make and still read "Step passes": a check to add or sharpen, unless the
// step lists it in variants.ts (`survivors`) with the reason no check should catch it. Only the
// lines the step asks for are mutated, unless --whole-files says otherwise.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import pc from 'picocolors';
import { repoRoot, type Step } from '../course/steps.ts';
import type { StepVariants } from '../checks/variant-case.ts';
import { findBrowser } from '../browser/find-browser.ts';
import { ownProcessGroup, track } from '../processes/child-processes.ts';
import { UsageError } from '../errors/kit-error.ts';
import { strykerBin, strykerVersion } from './stryker-tool.ts';
import { accountFor, readOutcomes, type MutantOutcome } from './survivors.ts';
import { stepLinePatterns } from './step-lines.ts';

/** The share of mutants a step's checks must catch. */
export const goalScore = 0.85;

export interface MutantsOptions {
  /** Mutants judged at the same time: 1 keeps each verdict's timing as a learner's would be. */
  concurrency: number;
  /** Mutate every line of the solution, not only those the step asks for (see step-lines.ts). */
  wholeFiles: boolean;
}

export async function runMutants(step: Step, { concurrency, wholeFiles }: MutantsOptions): Promise<number> {
  if (!findBrowser()) throw new UsageError('Mutation testing needs Chromium or Chrome, to judge the mutants of the page too: `npm run doctor` says how to install it.');
  const solutionDir = relative(repoRoot, join(step.dir, 'solution')).split('\\').join('/');
  const files = readdirSync(join(step.dir, 'solution')).filter((name) => /\.(ts|html)$/.test(name) && !name.endsWith('.d.ts'));
  const runDir = join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'realtime-chat-workshop', 'mutants', step.folder);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const config = {
    testRunner: 'command',
    commandRunner: { command: `"${process.execPath}" checker/kit.js check ${step.number} --solution` },
    mutate: files.flatMap((file) => (wholeFiles ? [`${solutionDir}/${file}`] : stepLinePatterns(step.dir, `${solutionDir}/${file}`, file))),
    coverageAnalysis: 'off',
    concurrency,
    // A mutant that makes a check wait for its own deadlines must not count as timed out.
    timeoutMS: 60_000,
    timeoutFactor: 2,
    reporters: ['progress', 'json', 'html'],
    jsonReporter: { fileName: join(runDir, 'report.json') },
    htmlReporter: { fileName: join(runDir, 'report.html') },
    tempDirName: join(runDir, 'sandboxes'),
    cleanTempDir: 'always',
    // The kit's tsconfig is not rewritten for the sandbox (that would need TypeScript's JS API).
    tsconfigFile: 'no-tsconfig-for-stryker.json',
    ignorePatterns: ['/dist', '/checker/test/tmp-*', '*.db', '*.db-*'],
    fileLogLevel: 'off',
  };
  const configPath = join(runDir, 'stryker.config.json');
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);

  const bin = await strykerBin();
  const what = wholeFiles ? 'every line' : 'the lines its starter lacks';
  console.log(pc.bold(`${step.title}: mutation testing of ${what} in ${files.map((file) => `${solutionDir}/${file}`).join(', ')}, with Stryker ${strykerVersion}`));
  console.log(pc.dim(`Every mutant is judged by \`npm run check ${step.number} -- --solution\`, ${concurrency} at a time: this takes a while.`));
  const stryker = spawn(process.execPath, [bin, 'run', configPath], { cwd: repoRoot, stdio: 'inherit', ...ownProcessGroup });
  track(stryker);
  const code = await new Promise<number | null>((resolve) => stryker.once('exit', resolve));
  const reportPath = join(runDir, 'report.json');
  if (code !== 0 || !existsSync(reportPath)) {
    console.error(`✖ Stryker stopped (exit code ${code}) before its report: its own words are above. A first run that fails means the reference itself fails its checks.`);
    return 1;
  }

  const outcomes = readOutcomes(JSON.parse(readFileSync(reportPath, 'utf8')), solutionDir);
  const { variants } = (await import(pathToFileURL(join(step.dir, 'variants.ts')).href)) as { variants: StepVariants };
  const account = accountFor(outcomes, variants.survivors ?? []);
  const percent = (account.score * 100).toFixed(1);
  const scoreLine = `${percent} % of ${account.total} mutants caught (${account.detected}); goal ${goalScore * 100} %`;
  console.log('');
  console.log(account.score >= goalScore ? pc.green(`✔ ${scoreLine}`) : pc.red(`✗ ${scoreLine}`));
  if (account.accounted.length > 0) {
    console.log(pc.bold(`\n${account.accounted.length} survivors listed in ${relative(repoRoot, join(step.dir, 'variants.ts'))}, with their reason:`));
    for (const { outcome, why } of account.accounted) console.log(`  ${describe(outcome)}\n      ${pc.dim(why)}`);
  }
  if (account.unaccounted.length > 0) {
    console.log(pc.bold(pc.red(`\n${account.unaccounted.length} survivors nobody accounted for: sharpen a check, or list them in variants.ts with the reason no check should catch them:`)));
    for (const outcome of account.unaccounted) console.log(`  ${describe(outcome)}`);
  }
  if (account.stale.length > 0) {
    console.log(pc.bold(`\n${account.stale.length} listed survivors no longer survive (or their code changed): remove them from variants.ts:`));
    for (const listed of account.stale) console.log(`  ${listed.file}: ${listed.code} → ${listed.mutant}`);
  }
  console.log(pc.dim(`\nThe whole report: ${join(runDir, 'report.html')}`));
  return account.score >= goalScore && account.unaccounted.length === 0 ? 0 : 1;
}

function describe(outcome: MutantOutcome): string {
  const oneLine = (code: string) => (code.length > 90 ? `${code.replace(/\s+/g, ' ').slice(0, 87)}…` : code.replace(/\s+/g, ' '));
  return `${outcome.file}:${outcome.line} ${pc.dim(outcome.mutator)}  ${oneLine(outcome.code)}  →  ${oneLine(outcome.mutant) || '(removed)'}`;
}
