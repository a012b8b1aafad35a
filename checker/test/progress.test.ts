// Progress: saved per step by `npm run check`, tied to a hash of the learner's files, never
// corrupted by two checkers at once, rebuilt with a warning when damaged, and shown live in the
// site the moment a check in the terminal finishes.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findBrowser } from '../browser/find-browser.ts';
import type { Step } from '../course/steps.ts';
import { readProgress, writeProgress, type StepProgress } from '../progress/progress-store.ts';
import { hashLearnerFiles } from '../progress/learner-files.ts';
import { repoRoot, runKit } from './helpers/run-kit.ts';

/** Every folder a test made, removed after them all. */
const made: string[] = [];
const freshFolder = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const freshStateDir = () => freshFolder('workshop-progress-');
const savedProgress = (state: string, folder: string) => JSON.parse(readFileSync(join(state, 'progress', `${folder}.json`), 'utf8')) as StepProgress;

describe('saved progress', () => {
  const previousState = process.env['WORKSHOP_STATE_DIR'];
  afterAll(() => {
    process.env['WORKSHOP_STATE_DIR'] = previousState;
  });

  test('is fresh for the files it checked, and stale once a file changes, appears or goes', async () => {
    process.env['WORKSHOP_STATE_DIR'] = freshStateDir();
    const dir = freshFolder('workshop-step-');
    writeFileSync(join(dir, 'index.ts'), 'console.log(1);\n');
    writeFileSync(join(dir, 'README.md'), '# Step 09 · Lesson\n');
    const step: Step = { number: 9, folder: '09-test', slug: 'test', title: 'Step 09 · Test', dir };
    expect((await readProgress(step)).kind).toBe('unchecked');
    await writeProgress(step, { passed: true, didNotStart: false, checks: [{ id: 'a', title: 'A', state: 'passed' }], filesHash: await hashLearnerFiles(dir) });
    expect((await readProgress(step)).kind).toBe('fresh');
    // The lesson is the kit's, not the learner's: changing it does not matter.
    writeFileSync(join(dir, 'README.md'), '# Step 09 · Lesson, reworded\n');
    expect((await readProgress(step)).kind).toBe('fresh');
    writeFileSync(join(dir, 'index.ts'), 'console.log(2);\n');
    expect((await readProgress(step)).kind).toBe('stale');
    writeFileSync(join(dir, 'index.ts'), 'console.log(1);\n');
    expect((await readProgress(step)).kind).toBe('fresh');
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'lib', 'extra.ts'), '');
    expect((await readProgress(step)).kind).toBe('stale');
  });

  test('two checks at once, of the same step and of another, leave every progress file whole and valid', async () => {
    const state = freshStateDir();
    const runs = await Promise.all([runKit(['check', '1'], { WORKSHOP_STATE_DIR: state }), runKit(['check', '1'], { WORKSHOP_STATE_DIR: state }), runKit(['check', '2'], { WORKSHOP_STATE_DIR: state })]);
    for (const run of runs) expect(run.output).toMatch(/0 of \d+ steps pass/);
    expect(readdirSync(join(state, 'progress')).sort()).toEqual(['01-hello-express.json', '02-serve-html.json']);
    const first = savedProgress(state, '01-hello-express');
    expect(first).toMatchObject({ step: '01-hello-express', passed: false, didNotStart: true });
    expect(first.filesHash).toBe(await hashLearnerFiles(join(repoRoot, 'steps', '01-hello-express')));
    expect(savedProgress(state, '02-serve-html')).toMatchObject({ step: '02-serve-html', passed: false });
  });

  test('a damaged progress file is rebuilt by the next check, which says so; the reference solution is never recorded', async () => {
    const state = freshStateDir();
    mkdirSync(join(state, 'progress'));
    writeFileSync(join(state, 'progress', '01-hello-express.json'), '{"step": "01-hello-exp');
    const run = await runKit(['check', '1'], { WORKSHOP_STATE_DIR: state });
    expect(run.output).toMatch(/! The saved progress of step 1 could not be read \(.*01-hello-express\.json\); it has been rebuilt from this check\./);
    expect(savedProgress(state, '01-hello-express').step).toBe('01-hello-express');

    const solution = await runKit(['check', '2', '--solution'], { WORKSHOP_STATE_DIR: state });
    expect(solution.code).toBe(0);
    expect(readdirSync(join(state, 'progress'))).not.toContain('02-serve-html.json');
  });
});

describe('live progress in the site', () => {
  const kit = fileURLToPath(new URL('../kit.js', import.meta.url));
  const state = freshStateDir();
  let site: ChildProcess;
  let base = '';

  beforeAll(async () => {
    site = spawn(process.execPath, [kit, 'start'], { cwd: repoRoot, env: { ...process.env, DOCS_PORT: '0', NO_COLOR: '1', WORKSHOP_STATE_DIR: state } });
    let output = '';
    base = await new Promise<string>((resolve, reject) => {
      site.stdout!.on('data', (data) => {
        output += data;
        const url = /open at (http:\/\/localhost:\d+)/.exec(output)?.[1];
        if (url) resolve(url);
      });
      site.once('exit', () => reject(new Error(`npm start ended: ${output}`)));
    });
  });

  afterAll(async () => {
    const exited = once(site, 'exit');
    site.kill('SIGINT');
    await exited;
  });

  test('a check run in the terminal changes the open lesson and the course menu, without a reload', async () => {
    const executablePath = findBrowser();
    if (!executablePath) {
      expect(process.env['CI'], 'CI must have a browser').toBeFalsy();
      return;
    }
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/steps/02-serve-html/`);
      const panel = page.locator('.progress-panel');
      await panel.getByText('Not checked yet').waitFor();
      // Anything the page holds would be gone after a reload.
      await page.evaluate(() => Object.assign(window, { beforeTheCheck: true }));

      const run = await runKit(['check', '2'], { WORKSHOP_STATE_DIR: state });
      expect(run.code).toBe(1);
      await page.locator('.progress-panel[data-state="failed"]').waitFor();
      expect(await panel.textContent()).toMatch(/\d of \d checks pass/);
      expect(await page.locator('.progress-checks li').count()).toBeGreaterThan(1);
      expect(await page.locator('.progress-checks li[data-state="failed"]').count()).toBe(1);
      const menuMark = page.locator('#course-menu a[href="/steps/02-serve-html/"] .step-state');
      expect(await menuMark.getAttribute('data-state')).toBe('failed');
      expect(await menuMark.textContent()).toContain('does not pass yet');
      expect(await page.evaluate(() => (window as unknown as { beforeTheCheck?: boolean }).beforeTheCheck)).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
