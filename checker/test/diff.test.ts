// `npm run diff N`: the learner's files against the reference, as a learner runs it (real
// processes), and what it compares, on step folders of the test's own for the cases that would
// otherwise need the course's files edited (a deleted file, an extra one, CRLF line endings).
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { asLearnerCode } from '../course/reference-code.ts';
import { findStep, listSteps, type Step } from '../course/steps.ts';
import { readDiffSetting } from '../diff/diff-setting.ts';
import { formatSolutionDiff } from '../diff/format-diff.ts';
import { diffWithSolution, NoSolutionError } from '../diff/solution-diff.ts';
import { hashLearnerFiles } from '../progress/learner-files.ts';
import { writeProgress } from '../progress/progress-store.ts';
import { runKit } from './helpers/run-kit.ts';

let connect: Step;
const temporary: string[] = [];

beforeAll(async () => {
  connect = findStep(await listSteps(), '3')!;
});

afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function temporaryDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'diff-test-'));
  temporary.push(dir);
  return dir;
}

/** Every file under `dir`: its path, bytes and modification time. A folder that does not exist hashes as empty. */
function fingerprint(dir: string): string {
  const hash = createHash('sha256');
  const visit = (folder: string) => {
    if (!existsSync(folder)) return;
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      hash.update(`${path}\0${statSync(path).mtimeMs}\0`);
      if (entry.isDirectory()) visit(path);
      else hash.update(readFileSync(path)).update('\0');
    }
  };
  visit(dir);
  return hash.digest('hex');
}

/** Saves progress for step 3 as `npm run check 3` would, in a state folder of the test's own. */
async function recordProgressOfConnect(stateDir: string, record: { passed: boolean; filesHash?: string }): Promise<void> {
  const before = process.env['WORKSHOP_STATE_DIR'];
  process.env['WORKSHOP_STATE_DIR'] = stateDir;
  try {
    const filesHash = record.filesHash ?? (await hashLearnerFiles(connect.dir));
    await writeProgress(connect, { passed: record.passed, didNotStart: false, checks: [], filesHash });
  } finally {
    if (before === undefined) delete process.env['WORKSHOP_STATE_DIR'];
    else process.env['WORKSHOP_STATE_DIR'] = before;
  }
}

describe('npm run diff', () => {
  test("shows the reference's lines as added to the starter, without region markers, after a note", async () => {
    const { code, output } = await runKit(['diff', '3'], { WORKSHOP_SOLUTION_DIFF: 'always' });
    expect(code).toBe(0);
    expect(output).toContain('Trying on your own first teaches more: `npm run hint 3` gives one hint at a time.');
    expect(output).toContain('steps/03-connect/index.ts (yours) → solution/index.ts (reference)');
    expect(output).toContain('\n+const io = new Server(server);\n');
    expect(output).toContain("\n-// TODO 1: import `Server` from 'socket.io'.\n");
    expect(output).toContain('\n+    <script src="/socket.io/socket.io.js"></script>\n');
    expect(output).not.toMatch(/#(end)?region/);
  });

  test('shows the imports of step 4 as the learner writes them', async () => {
    const { code, output } = await runKit(['diff', 'emit']);
    expect(code).toBe(0);
    expect(output).toContain("\n+import type { ClientToServerEvents, ServerToClientEvents } from './events.ts';\n");
    expect(output).not.toContain('../events.ts');
    expect(output).toContain('events.ts: the reference has no copy of its own; it imports yours.');
  });

  test('changes no file of the step and nothing of the saved progress', async () => {
    const stateDir = temporaryDir();
    await recordProgressOfConnect(stateDir, { passed: true });
    const before = { step: fingerprint(connect.dir), state: fingerprint(stateDir) };
    for (const setting of ['always', 'after-passing', 'never']) {
      await runKit(['diff', '3'], { WORKSHOP_SOLUTION_DIFF: setting, WORKSHOP_STATE_DIR: stateDir });
    }
    expect({ step: fingerprint(connect.dir), state: fingerprint(stateDir) }).toEqual(before);
  });

  test('colours removed lines red and added ones green, and none with NO_COLOR', async () => {
    const coloured = await runKit(['diff', '3'], { NO_COLOR: undefined, FORCE_COLOR: '1' });
    expect(coloured.output).toContain('\x1b[32m+const io = new Server(server);\x1b[39m');
    expect(coloured.output).toContain("\x1b[31m-// TODO 1: import `Server` from 'socket.io'.\x1b[39m");
    const plain = await runKit(['diff', '3'], { NO_COLOR: '1', FORCE_COLOR: '1' });
    expect(plain.output).toContain('+const io = new Server(server);');
    expect(plain.output).not.toContain('\x1b[');
  });

  test('shows nothing when the instructor set "never"', async () => {
    const { code, output } = await runKit(['diff', '3'], { WORKSHOP_SOLUTION_DIFF: 'never' });
    expect(code).toBe(1);
    expect(output.trim()).toBe("This workshop's instructor turned the solution diff off.");
  });

  test('with "after-passing", shows the reference only once the step passes for the files as they are', async () => {
    const stateDir = temporaryDir();
    const env = { WORKSHOP_SOLUTION_DIFF: 'after-passing', WORKSHOP_STATE_DIR: stateDir };
    const unchecked = await runKit(['diff', '3'], env);
    expect(unchecked.code).toBe(1);
    expect(unchecked.output.trim()).toBe('The reference solution of step 3 is shown once your step passes: run `npm run check 3`.');

    await recordProgressOfConnect(stateDir, { passed: false });
    const failing = await runKit(['diff', '3'], env);
    expect(failing.code).toBe(1);
    expect(failing.output.trim()).toBe('The reference solution of step 3 is shown once your step passes: run `npm run check 3`.');

    await recordProgressOfConnect(stateDir, { passed: true, filesHash: 'the files as they were then' });
    const stale = await runKit(['diff', '3'], env);
    expect(stale.code).toBe(1);
    expect(stale.output.trim()).toBe(
      'Your files of step 3 changed since they passed, and the reference solution is shown once they pass again: run `npm run check 3`.',
    );

    // Artificial: the course's step 3 is the starter, which does not pass. It opens the gate all the same.
    await recordProgressOfConnect(stateDir, { passed: true });
    const passing = await runKit(['diff', '3'], env);
    expect(passing.code).toBe(0);
    expect(passing.output).toContain('\n+const io = new Server(server);\n');
    expect(passing.output).not.toContain('npm run hint');
  });

  test('refuses a step that does not exist, options, and a setting it does not know, in one sentence', async () => {
    const unknown = await runKit(['diff', '99']);
    expect(unknown.code).toBe(2);
    expect(unknown.output.trim()).toMatch(/^✖ There is no step "99"\. Steps go from 1 to \d+, e\.g\. `1`, `01` or `hello-express`\.$/);
    const typo = await runKit(['diff', 'conect']);
    expect(typo.output.trim()).toMatch(/^✖ There is no step "conect"\. Steps go from 1 to \d+/);
    const solution = await runKit(['diff', '3', '--solution']);
    expect(solution.code).toBe(2);
    expect(solution.output.trim()).toBe('✖ `npm run diff` works on your own files in steps/, so --solution does not apply: use `npm run diff 3`.');
    const dir = await runKit(['diff', '3', '--dir', 'steps/03-connect']);
    expect(dir.output.trim()).toBe('✖ `npm run diff` works on your own files in steps/, so --dir does not apply: use `npm run diff 3`.');
    const setting = await runKit(['diff', '3'], { WORKSHOP_SOLUTION_DIFF: 'sometimes' });
    expect(setting.code).toBe(1);
    expect(setting.output.trim()).toBe(
      '✖ WORKSHOP_SOLUTION_DIFF is "sometimes", which is not a setting: use "always", "after-passing" or "never", or unset it to follow package.json.',
    );
  });
});

describe('the solution diff setting', () => {
  const manifest = (content: unknown) => {
    const file = join(temporaryDir(), 'package.json');
    writeFileSync(file, JSON.stringify(content));
    return file;
  };

  test('is read from package.json\'s "workshop.solutionDiff", "always" when absent', async () => {
    expect(await readDiffSetting(manifest({ workshop: { solutionDiff: 'after-passing' } }))).toBe('after-passing');
    expect(await readDiffSetting(manifest({ workshop: { solutionDiff: 'never' } }))).toBe('never');
    expect(await readDiffSetting(manifest({ name: 'a-workshop' }))).toBe('always');
  });

  test('names package.json, the key and the allowed values when the value is not one of them', async () => {
    await expect(readDiffSetting(manifest({ workshop: { solutionDiff: 'after-pass' } }))).rejects.toThrow(
      'package.json sets "workshop": { "solutionDiff": "after-pass" }, which is not a setting: use "always", "after-passing" or "never".',
    );
  });
});

describe('a step compared with its solution', () => {
  /** A copy of step 3 in a folder of the test's own, edited by `edit`. */
  async function compareEditedConnect(edit: (dir: string) => void): Promise<string> {
    const dir = join(temporaryDir(), connect.folder);
    cpSync(connect.dir, dir, { recursive: true });
    edit(dir);
    return stripVTControlCharacters(formatSolutionDiff(await diffWithSolution({ ...connect, dir })));
  }

  test("shows a file the learner deleted as the reference's, all added", async () => {
    const output = await compareEditedConnect((dir) => rmSync(join(dir, 'index.html')));
    expect(output).toContain("You have no index.html; the reference's is below. `npm run reset 3` puts the starter back, keeping a backup.");
    expect(output).toContain('\n+<!doctype html>\n');
    expect(output).toContain('\n+      const socket = io();\n');
    expect(output).not.toMatch(/#(end)?region/);
  });

  test('says a file is the same as the reference, whatever its line endings', async () => {
    const output = await compareEditedConnect((dir) => {
      const reference = asLearnerCode(readFileSync(join(dir, 'solution', 'index.html'), 'utf8'));
      writeFileSync(join(dir, 'index.html'), reference.replaceAll('\n', '\r\n').trimEnd());
    });
    expect(output).toContain('index.html: same as the reference.');
    expect(output).not.toContain('index.html (yours)');
    expect(output).toContain('index.ts (yours) → solution/index.ts (reference)');
  });

  test('says a file copied from solution/, region markers and all, is the same as the reference', async () => {
    const output = await compareEditedConnect((dir) => cpSync(join(dir, 'solution', 'index.ts'), join(dir, 'index.ts')));
    expect(output).toContain('index.ts: same as the reference.');
    expect(output).not.toMatch(/#(end)?region/);
  });

  test('names the lines of a copy of the reference, edited, as they are in the file, markers counted', async () => {
    const output = await compareEditedConnect((dir) => {
      const copy = readFileSync(join(dir, 'solution', 'index.ts'), 'utf8').split('\n');
      const last = copy.findLastIndex((line) => line.trim() !== '' && !/#(end)?region/.test(line));
      copy[last] = `${copy[last]} // mine`;
      writeFileSync(join(dir, 'index.ts'), copy.join('\n'));
    });
    const copy = readFileSync(join(connect.dir, 'solution', 'index.ts'), 'utf8').split('\n');
    const edited = copy.findLastIndex((line) => line.trim() !== '' && !/#(end)?region/.test(line)) + 1;
    const [, yoursLine] = /index\.ts \(yours\).*\n@@ line (\d+) of yours/.exec(output) ?? [];
    // The hunk starts with the 3 lines before the edited one.
    expect(Number(yoursLine)).toBe(edited - 3);
    expect(output).toContain('// mine');
  });

  test('lists the files only the learner has by name', async () => {
    const output = await compareEditedConnect((dir) => writeFileSync(join(dir, 'notes.md'), 'my notes\n'));
    expect(output).toContain('Only in yours (the reference does without): notes.md.');
    expect(output).not.toContain('my notes');
  });

  test('says so when the step has no solution to compare with', async () => {
    const dir = join(temporaryDir(), connect.folder);
    cpSync(connect.dir, dir, { recursive: true });
    rmSync(join(dir, 'solution'), { recursive: true });
    const comparing = diffWithSolution({ ...connect, dir });
    await expect(comparing).rejects.toThrow(NoSolutionError);
    await expect(comparing).rejects.toThrow(/^Step 3 has no reference solution \(.*\/solution\/ is missing or empty\): get it back/);
  });
});
