// `npm run reset N` and `npm run restore N`, run as a learner runs them, on real files. Each test
// works on its own copy of steps/ (WORKSHOP_STEPS_DIR) with its own state folder
// (WORKSHOP_STATE_DIR): the course's files are never touched, whatever a test does.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import type { Step } from '../course/steps.ts';
import { createBackup, listBackups } from '../workspace/backup.ts';
import { repoRoot, runKit, type KitRun } from './helpers/run-kit.ts';

interface Workshop {
  root: string;
  steps: string;
  state: string;
  env: NodeJS.ProcessEnv;
  step(folder: string): string;
  kit(args: string[]): Promise<KitRun>;
}

const made: string[] = [];
afterEach(() => {
  for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
});

function makeWorkshop(): Workshop {
  const root = mkdtempSync(join(tmpdir(), 'reset-restore-'));
  made.push(root);
  const steps = join(root, 'steps');
  const state = join(root, 'state');
  cpSync(join(repoRoot, 'steps'), steps, { recursive: true });
  const env = { WORKSHOP_STEPS_DIR: steps, WORKSHOP_STATE_DIR: state };
  return { root, steps, state, env, step: (folder) => join(steps, folder), kit: (args) => runKit(args, env) };
}

/** Every file under `dir` and its bytes: the whole step folder, kit's files included. */
function snapshot(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  const visit = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) visit(path);
      else files[relative(dir, path).split(sep).join('/')] = readFileSync(path);
    }
  };
  visit(dir);
  return files;
}

function backupsOf(workshop: Workshop, folder: string): string[] {
  const dir = join(workshop.state, 'backups', folder);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** Bytes no text editor would write: NUL, invalid UTF-8, a lone CR. */
const binaryish = Buffer.from([0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x0d, 0x80, 0x00, 0xc3, 0x28, 0x1b, 0x5b]);

describe('npm run reset, then npm run restore', () => {
  test('round-trips the learner files byte for byte: edited, deleted, added, binary, in a subfolder', async () => {
    const workshop = makeWorkshop();
    const dir = workshop.step('04-emit');
    writeFileSync(join(dir, 'index.ts'), `${readFileSync(join(dir, 'index.ts'), 'utf8')}\n// my work, with a CRLF line\r\n`);
    rmSync(join(dir, 'index.html'));
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'notes', 'sketch.bin'), binaryish);
    const before = snapshot(dir);

    const reset = await workshop.kit(['reset', '4']);
    expect(reset.code).toBe(0);
    expect(reset.output).toMatch(/↺ index\.html \(you had deleted it\)/);
    expect(reset.output).toMatch(/↺ index\.ts\n/);
    expect(reset.output).not.toMatch(/↺ events\.ts/);
    expect(reset.output).toContain('Not part of the starter, so left untouched: `notes/sketch.bin`.');
    expect(reset.output).toContain('`npm run restore 4` brings them back.');
    const [backup] = backupsOf(workshop, '04-emit');
    expect(backup).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
    expect(reset.output).toContain(`saved in ${join(workshop.state, 'backups', '04-emit', backup!)}/`);

    // The starter is back, the learner's own file is still there.
    const afterReset = snapshot(dir);
    for (const file of ['index.ts', 'index.html', 'events.ts']) expect(afterReset[file], file).toEqual(afterReset[`starter/${file}`]);
    expect(afterReset['notes/sketch.bin']).toEqual(binaryish);
    // The backup is every learner file, byte for byte, and nothing else but its note.
    const saved = snapshot(join(workshop.state, 'backups', '04-emit', backup!));
    delete saved['.backup.json'];
    expect(saved).toEqual({ 'events.ts': before['events.ts'], 'index.ts': before['index.ts'], 'notes/sketch.bin': binaryish });

    const restore = await workshop.kit(['restore', '4']);
    expect(restore.code).toBe(0);
    expect(restore.output).toMatch(/− index\.html \(removed: it was not there when the backup was made\)/);
    expect(snapshot(dir)).toEqual(before);
  });

  test('a reset that stops half-way leaves every file in the backup, and restore brings them back', async () => {
    const workshop = makeWorkshop();
    const dir = workshop.step('04-emit');
    writeFileSync(join(dir, 'events.ts'), '// my events\n');
    // A folder where the starter has a file: the reset puts events.ts back, then cannot write index.html.
    rmSync(join(dir, 'index.html'));
    mkdirSync(join(dir, 'index.html'));
    writeFileSync(join(dir, 'index.html', 'draft.txt'), 'my draft\n');
    const before = snapshot(dir);

    const reset = await workshop.kit(['reset', '4']);
    expect(reset.code).toBe(1);
    const [backup] = backupsOf(workshop, '04-emit');
    expect(reset.output).toContain(`✖ Putting back the starter of step 4 stopped half-way (`);
    expect(reset.output).toContain(`but all your files are safe in ${join(workshop.state, 'backups', '04-emit', backup!)}/: once that is fixed, \`npm run restore 4\` brings them back.`);
    expect(reset.output.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(join(dir, 'events.ts'))).toEqual(readFileSync(join(dir, 'starter', 'events.ts')));

    const restore = await workshop.kit(['restore', '4']);
    expect(restore.code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('npm run reset', () => {
  test('on files that are the starter already, says so and makes no backup', async () => {
    const workshop = makeWorkshop();
    const before = snapshot(workshop.step('02-serve-html'));
    const run = await workshop.kit(['reset', '2']);
    expect(run.code).toBe(0);
    expect(run.output).toContain('Your files are the starter already: nothing to reset, so no backup was made.');
    expect(backupsOf(workshop, '02-serve-html')).toEqual([]);
    expect(snapshot(workshop.step('02-serve-html'))).toEqual(before);
  });

  test('of a step without starter/ says so in one sentence and changes nothing', async () => {
    const workshop = makeWorkshop();
    const dir = workshop.step('01-hello-express');
    rmSync(join(dir, 'starter'), { recursive: true });
    writeFileSync(join(dir, 'index.ts'), '// my work\n');
    const before = snapshot(dir);
    const run = await workshop.kit(['reset', '1']);
    expect(run.code).toBe(1);
    expect(run.output.trim()).toBe(
      `✖ Step 1 has no starter to go back to (${join(dir, 'starter')}/ is missing or empty), so your files were left as they are: the step's author needs to put its starter files there.`,
    );
    expect(snapshot(dir)).toEqual(before);
    expect(backupsOf(workshop, '01-hello-express')).toEqual([]);
  });
});

describe('npm run restore', () => {
  test('without a backup says there is nothing to restore and how backups are made', async () => {
    const workshop = makeWorkshop();
    // A folder named like a backup but without the kit's note, and a half-written one: neither is a backup.
    mkdirSync(join(workshop.state, 'backups', '03-connect', '2026-01-01T00-00-00.000Z'), { recursive: true });
    writeFileSync(join(workshop.state, 'backups', '03-connect', '2026-01-01T00-00-00.000Z', 'index.ts'), '// not a backup\n');
    mkdirSync(join(workshop.state, 'backups', '03-connect', '.partial-1-x'));
    writeFileSync(join(workshop.state, 'backups', '03-connect', '.partial-1-x', '.backup.json'), '{"madeBy":"reset"}');
    const before = snapshot(workshop.step('03-connect'));
    const run = await workshop.kit(['restore', '3']);
    expect(run.code).toBe(1);
    expect(run.output.trim()).toBe('✖ There is no backup of step 3 to restore: `npm run reset 3` makes one each time it puts the starter back.');
    expect(snapshot(workshop.step('03-connect'))).toEqual(before);
  });

  test('twice loses nothing: the second gives the same files, and what the first replaced is kept', async () => {
    const workshop = makeWorkshop();
    const dir = workshop.step('05-broadcast');
    writeFileSync(join(dir, 'index.ts'), '// before the reset\n');
    const beforeReset = snapshot(dir);
    expect((await workshop.kit(['reset', '5'])).code).toBe(0);
    // Work done on the starter after the reset: the restore must not lose it either.
    writeFileSync(join(dir, 'index.html'), '<!-- after the reset -->\n');
    const afterReset = snapshot(dir);

    const first = await workshop.kit(['restore', '5']);
    expect(first.code).toBe(0);
    expect(snapshot(dir)).toEqual(beforeReset);
    const [resetBackup, restoreBackup] = backupsOf(workshop, '05-broadcast');
    expect(first.output).toContain(`The files this replaced are saved in ${join(workshop.state, 'backups', '05-broadcast', restoreBackup!)}/`);

    const second = await workshop.kit(['restore', '5']);
    expect(second.code).toBe(0);
    expect(second.output).toContain(`Your files already are those of the newest backup, ${join(workshop.state, 'backups', '05-broadcast', resetBackup!)}/: nothing to restore.`);
    expect(snapshot(dir)).toEqual(beforeReset);
    expect(backupsOf(workshop, '05-broadcast')).toEqual([resetBackup, restoreBackup]);
    const kept = snapshot(join(workshop.state, 'backups', '05-broadcast', restoreBackup!));
    for (const file of ['events.ts', 'index.html', 'index.ts']) expect(kept[file], file).toEqual(afterReset[file]);
  });

  test('right after a reset saves no copy of the starter: reset brings it back any time', async () => {
    const workshop = makeWorkshop();
    writeFileSync(join(workshop.step('03-connect'), 'index.ts'), '// mine\n');
    await workshop.kit(['reset', '3']);
    const run = await workshop.kit(['restore', '3']);
    expect(run.code).toBe(0);
    expect(run.output).toContain("The files this replaced were the starter's, which `npm run reset 3` puts back at any time.");
    expect(backupsOf(workshop, '03-connect')).toHaveLength(1);
    expect(readFileSync(join(workshop.step('03-connect'), 'index.ts'), 'utf8')).toBe('// mine\n');
  });
});

describe('backups', () => {
  test('never overwrite each other, even many in one millisecond, and sort in the order they were made', async () => {
    const workshop = makeWorkshop();
    const previous = process.env['WORKSHOP_STATE_DIR'];
    process.env['WORKSHOP_STATE_DIR'] = workshop.state;
    try {
      const dir = workshop.step('01-hello-express');
      const step: Step = { number: 1, folder: '01-hello-express', slug: 'hello-express', title: 'Step 01', dir };
      const made = [];
      for (let index = 0; index < 10; index++) {
        writeFileSync(join(dir, 'index.ts'), `// version ${index}\n`);
        made.push(await createBackup(step, 'reset'));
      }
      // Commands at once race for the same name: each backup must end up whole, under a name of its own.
      made.push(...(await Promise.all(Array.from({ length: 8 }, () => createBackup(step, 'reset')))));
      const names = made.map((backup) => backup.name);
      expect(new Set(names).size).toBe(18);
      const listed = await listBackups(step);
      expect(listed.map((backup) => backup.name)).toEqual([...names.slice(0, 10), ...names.slice(10).sort()]);
      for (let index = 0; index < 10; index++) expect(readFileSync(join(listed[index]!.dir, 'index.ts'), 'utf8')).toBe(`// version ${index}\n`);
      expect(readdirSync(join(workshop.state, 'backups', '01-hello-express')).filter((name) => name.startsWith('.'))).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env['WORKSHOP_STATE_DIR'];
      else process.env['WORKSHOP_STATE_DIR'] = previous;
    }
  });
});

describe('bad input gets one sentence and the way out, and changes nothing', () => {
  const cases = [
    { args: ['reset', '99'], says: /^✖ There is no step "99"\. Steps go from 1 to \d+, e\.g\. `1`, `01` or `hello-express`\.$/ },
    { args: ['restore', 'emti'], says: /^✖ There is no step "emti"\. Steps go from 1 to \d+/ },
    { args: ['reset'], says: /^✖ Which step\? e\.g\. `npm run reset 4`\. Steps go from 1/ },
    { args: ['reset', '4', '5'], says: /^✖ `npm run reset` takes one step, not 2: e\.g\. `npm run reset 4`\.$/ },
    { args: ['reset', '4', '--solution'], says: /^✖ `npm run reset` works on your own files in steps\/, so --solution does not apply: use `npm run reset 4`\.$/ },
    { args: ['restore', '4', '--dir', 'somewhere'], says: /^✖ `npm run restore` works on your own files in steps\/, so --dir does not apply: use `npm run restore 4`\.$/ },
    { args: ['reset', '4', '--force'], says: /^✖ Unknown option '--force': `npm run reset` takes a step and nothing else, e\.g\. `npm run reset 4`\.$/ },
    { args: ['rest', '4'], says: /^Unknown kit command "rest": use one of (?=.*\breset\b)(?=.*\brestore\b)/ },
  ];

  test.each(cases)('$args', async ({ args, says }) => {
    const workshop = makeWorkshop();
    writeFileSync(join(workshop.step('04-emit'), 'index.ts'), '// mine\n');
    const before = snapshot(workshop.steps);
    const run = await workshop.kit(args);
    expect(run.output.trim()).toMatch(says);
    expect(run.output.trim().split('\n')).toHaveLength(1);
    expect(run.code).toBe(2);
    expect(snapshot(workshop.steps)).toEqual(before);
    expect(existsSync(workshop.state)).toBe(false);
  });

  test('`npm run reset 4 --solution` without `--` (npm passes it as npm_config_solution)', async () => {
    const workshop = makeWorkshop();
    const run = await runKit(['reset', '4'], { ...workshop.env, npm_config_solution: 'true' });
    expect(run.output.trim()).toBe('✖ `npm run reset` works on your own files in steps/, so --solution does not apply: use `npm run reset 4`.');
    expect(run.code).toBe(2);
  });
});

// Root writes through any permission, so a chmod alone cannot make a folder read-only for it: as
// root, the command runs as the unprivileged user `nobody` on files it owns, which a chmod does stop.
const probe = mkdtempSync(join(tmpdir(), 'chmod-probe-'));
chmodSync(probe, 0o555);
const chmodStopsUs = (() => {
  try {
    writeFileSync(join(probe, 'x'), '');
    return false;
  } catch {
    return true;
  }
})();
chmodSync(probe, 0o755);
rmSync(probe, { recursive: true, force: true });
const isRoot = process.getuid?.() === 0;
const nobody = 65534;

/**
 * A Node.js that `nobody` may run: this one, unless it lies where only root can reach it (a
 * Node.js fetched into /root/.cache, as .ci/run does); then a copy of it in a folder of our own.
 */
const nodeForNobody = (() => {
  if (!isRoot || chmodStopsUs) return process.execPath;
  if (spawnSync(process.execPath, ['-e', ''], { uid: nobody, gid: nobody }).status === 0) return process.execPath;
  const dir = mkdtempSync(join(tmpdir(), 'node-for-nobody-'));
  chmodSync(dir, 0o755);
  const copy = join(dir, 'node');
  copyFileSync(process.execPath, copy);
  chmodSync(copy, 0o755);
  return copy;
})();
afterAll(() => {
  if (nodeForNobody !== process.execPath) rmSync(dirname(nodeForNobody), { recursive: true, force: true });
});
const readOnlyUnavailable = !chmodStopsUs && !isRoot ? 'a chmod does not stop writes here and there is no other user to run the kit as' : undefined;
if (readOnlyUnavailable) console.warn(`Skipping the read-only folder tests: ${readOnlyUnavailable}.`);

/** Runs the kit as a user for whom a chmod counts (ourselves, or `nobody` when we are root). */
async function runKitAsLearner(workshop: Workshop, args: string[]): Promise<KitRun> {
  if (!isRoot || chmodStopsUs) return workshop.kit(args);
  for (let attempt = 1; ; attempt++) {
    // The kit's bundle is built by us first: `nobody` may only read node_modules/.cache.
    await workshop.kit(['reset', '99']);
    const run = await runKitAsNobody(workshop, args);
    // The kit's sources changed in between (an author is editing it), so it wanted a new bundle.
    if (attempt < 3 && run.output.includes('Failed to create output directory')) continue;
    return run;
  }
}

function runKitAsNobody(workshop: Workshop, args: string[]): Promise<KitRun> {
  const kit = fileURLToPath(new URL('../kit.js', import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(nodeForNobody, [kit, ...args], {
      cwd: repoRoot,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...workshop.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      uid: nobody,
      gid: nobody,
    });
    // A process that cannot start says why, rather than leaving the test to wait.
    child.once('error', (error) => resolve({ code: null, output: String(error), ms: 0 }));
    let output = '';
    child.stdout.on('data', (data) => (output += data));
    child.stderr.on('data', (data) => (output += data));
    child.once('close', (code) => resolve({ code, output, ms: 0 }));
  });
}

/** A workshop that the learner owns, whoever that is in this test run. */
async function makeOwnWorkshop(): Promise<Workshop> {
  const workshop = makeWorkshop();
  mkdirSync(workshop.state);
  if (isRoot && !chmodStopsUs) {
    chmodSync(workshop.root, 0o755);
    const own = (path: string): void => {
      chownSync(path, nobody, nobody);
      if (statSync(path).isDirectory()) for (const name of readdirSync(path)) own(join(path, name));
    };
    own(workshop.steps);
    own(workshop.state);
  }
  return workshop;
}

describe.skipIf(readOnlyUnavailable !== undefined)('read-only folders stop a command before it changes anything', () => {
  test('a writable step folder: the same setup resets (so the read-only cases fail for the right reason)', async () => {
    const workshop = await makeOwnWorkshop();
    writeFileSync(join(workshop.step('04-emit'), 'index.ts'), '// mine\n');
    const run = await runKitAsLearner(workshop, ['reset', '4']);
    expect(run.output).toContain('`npm run restore 4` brings them back.');
    expect(run.code).toBe(0);
  });

  test('a read-only step folder', async () => {
    const workshop = await makeOwnWorkshop();
    const dir = workshop.step('04-emit');
    writeFileSync(join(dir, 'index.ts'), '// mine\n');
    const before = snapshot(workshop.steps);
    chmodSync(dir, 0o555);
    try {
      const run = await runKitAsLearner(workshop, ['reset', '4']);
      expect(run.output.trim()).toBe(
        `✖ ${dir}/ cannot be written (EACCES), so nothing was changed: make that folder writable for you (check its permissions, or that its disk is not read-only), then try again.`,
      );
      expect(run.code).toBe(1);
    } finally {
      chmodSync(dir, 0o755);
    }
    expect(snapshot(workshop.steps)).toEqual(before);
    expect(backupsOf(workshop, '04-emit')).toEqual([]);
  });

  test('a read-only state folder, where backups go', async () => {
    const workshop = await makeOwnWorkshop();
    writeFileSync(join(workshop.step('04-emit'), 'index.ts'), '// mine\n');
    const before = snapshot(workshop.steps);
    chmodSync(workshop.state, 0o555);
    try {
      const run = await runKitAsLearner(workshop, ['reset', '4']);
      expect(run.output.trim()).toMatch(
        /^✖ The kit's folder .+\/state\/ cannot be written \(permission denied for .+\/state\/backups \(EACCES\)\), so no backup of your files could be made and nothing was changed: check that folder's permissions, or set WORKSHOP_STATE_DIR to a folder you can write, then try again\.$/,
      );
      expect(run.code).toBe(1);
    } finally {
      chmodSync(workshop.state, 0o755);
    }
    expect(snapshot(workshop.steps)).toEqual(before);
    expect(readdirSync(workshop.state)).toEqual([]);
  });
});
