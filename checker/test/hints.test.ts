// Hints: every step's hints.md against its checks, the parser, the saved ladder positions, and
// `npm run hint N` run as a learner runs it (real processes, a state folder of its own per test).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { listSteps } from '../course/steps.ts';
import { climbHintLadder, hintsStateDir } from '../hints/hint-ladder.ts';
import { didNotStartId, HintsFileError, parseHints, readHints } from '../hints/read-hints.ts';
import { runKit } from './helpers/run-kit.ts';
import { copyOfSteps as copyOfStepsFolder } from './helpers/steps-copy.ts';

const steps = await listSteps();
const oneLine = (text: string) => text.replace(/\s+/g, ' ');

let state: string;
const cleanUps: (() => void)[] = [];
beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), 'hints-test-state-'));
  cleanUps.push(() => rmSync(state, { recursive: true, force: true }));
});
afterEach(() => cleanUps.splice(0).forEach((cleanUp) => cleanUp()));

describe.each(steps.map((step) => [step.folder, step] as const))('%s/hints.md', (_folder, step) => {
  const checkIds = [...readFileSync(join(step.dir, 'check.ts'), 'utf8').matchAll(/\bcheck\(\s*'([^']+)'/g)].map((match) => match[1]!);

  test('has a ladder of 2 to 4 hints for each check and for code that does not start, and no other', async () => {
    expect(checkIds.length).toBeGreaterThan(0);
    const hints = await readHints(step);
    expect(hints, 'the step has no hints.md').toBeDefined();
    for (const id of [...checkIds, didNotStartId]) {
      expect(hints!.get(id)?.length ?? 0, `hints of "${id}"`).toBeGreaterThanOrEqual(2);
      expect(hints!.get(id)!.length, `hints of "${id}"`).toBeLessThanOrEqual(4);
    }
    expect([...hints!.keys()].filter((id) => id !== didNotStartId && !checkIds.includes(id)), 'sections of no check').toEqual([]);
  });

  test('ends each ladder on code', async () => {
    for (const [id, ladder] of (await readHints(step))!) expect(ladder.at(-1), `last hint of "${id}"`).toMatch(/`[^`]+`/);
  });
});

describe('parseHints', () => {
  test('reads sections of numbered hints; an indented line continues a hint; text before the first section is a note', () => {
    const hints = parseHints('# Hints\n\nA note for authors.\n\n## logs-url\n\n1. Read the lesson.\n2. Log it from\n   the callback.\n\n## did-not-start\n1. Call `listen`.\n', 'x.md');
    expect([...hints]).toEqual([
      ['logs-url', ['Read the lesson.', 'Log it from the callback.']],
      ['did-not-start', ['Call `listen`.']],
    ]);
  });

  test.each([
    ['prose inside a section', '## a\n1. one\nsome prose\n', 3, /only numbered hints/],
    ['a hint out of order', '## a\n1. one\n3. three\n', 3, /should be numbered 2/],
    ['a section twice', '## a\n1. one\n## a\n1. one\n', 3, /comes twice \(first on line 1\)/],
    ['a section without hints', '## a\n\n## b\n1. one\n', 1, /"## a" has no hints/],
    ['a heading that is no id', '## Logs URL\n1. one\n', 1, /is not a check id/],
  ])('names the file and the line of %s', (_name, text, line, problem) => {
    const parse = () => parseHints(text, 'steps/09-x/hints.md');
    expect(parse).toThrow(HintsFileError);
    expect(parse).toThrow(new RegExp(`^steps/09-x/hints\\.md:${line}: .*${problem.source}`));
  });
});

describe('the hint ladder', () => {
  const [first, second] = steps as [(typeof steps)[0], (typeof steps)[0]];
  const inState = async <T>(body: () => Promise<T>): Promise<T> => {
    const saved = process.env['WORKSHOP_STATE_DIR'];
    process.env['WORKSHOP_STATE_DIR'] = state;
    try {
      return await body();
    } finally {
      process.env['WORKSHOP_STATE_DIR'] = saved;
    }
  };

  test('climbs one rung per call, per step and check, and stays on the last', async () => {
    const positions = await inState(async () => {
      const seen: number[] = [];
      for (let call = 0; call < 4; call += 1) seen.push((await climbHintLadder(first, 'a', 3)).position);
      seen.push((await climbHintLadder(first, 'b', 3)).position, (await climbHintLadder(second, 'a', 3)).position);
      return seen;
    });
    expect(positions).toEqual([1, 2, 3, 3, 1, 1]);
    expect(readdirSync(join(state, 'hints')).sort(), 'one file per step, no temporary file left').toEqual([`${first.folder}.json`, `${second.folder}.json`].sort());
  });

  test('a damaged file counts as empty, says so in one line, and is rewritten', async () => {
    const [damaged, after] = await inState(async () => {
      mkdirSync(hintsStateDir(), { recursive: true });
      writeFileSync(join(hintsStateDir(), `${first.folder}.json`), '{"step": "01-hel');
      return [await climbHintLadder(first, 'a', 3), await climbHintLadder(first, 'a', 3)];
    });
    expect(damaged.position).toBe(1);
    expect(damaged.warning).toMatch(/^Which hints of step 1 you had seen could not be read \(.*hints.*\.json\), so they start again from the first\.$/);
    expect(after).toEqual({ position: 2, warning: undefined });
  });
});

/** A copy of steps/ (helpers/steps-copy.ts), removed after the test. */
function copyOfSteps(): string {
  const copy = copyOfStepsFolder();
  cleanUps.push(copy.remove);
  return copy.dir;
}

describe('npm run hint', () => {
  const connect = steps.find((step) => step.folder === '03-connect')!;

  test('on the starter of step 3: checks it first, then climbs the first failing check\'s ladder to the exact code, then repeats it', async () => {
    const ladder = (await readHints(connect))!.get('client-script')!;
    expect(ladder).toHaveLength(3);
    const hint = (env: NodeJS.ProcessEnv = {}) => runKit(['hint', '3'], { WORKSHOP_STATE_DIR: state, WORKSHOP_SOLUTION_DIFF: 'always', ...env });

    const first = await hint();
    expect(first.code).toBe(0);
    expect(first.output).toMatch(/^Checking step 3 first…\nStep 03 · Connect with Socket\.IO\nHint 1 of 3 — the server hands out the Socket\.IO client at \/socket\.io\/socket\.io\.js\n/);
    expect(oneLine(first.output)).toContain(ladder[0]);
    expect(first.output).toContain('Run `npm run hint 3` again for a more precise hint.');

    const second = await hint();
    expect(second.output, 'the saved progress still holds: no second check').not.toContain('Checking step 3');
    expect(second.output).toContain('Hint 2 of 3 — the server hands out');
    expect(oneLine(second.output)).toContain(ladder[1]);

    const third = await hint();
    expect(third.output).toContain('Hint 3 of 3 — the server hands out');
    expect(oneLine(third.output)).toContain('`const io = new Server(server);`');
    expect(third.output).toContain("That was the last hint: it shows the exact code. `npm run diff 3` shows all of the reference solution's changes.");

    expect((await hint()).output, 'past the last hint, the last one again').toBe(third.output);
    const withoutDiff = await hint({ WORKSHOP_SOLUTION_DIFF: 'never' });
    expect(withoutDiff.output).toContain('Hint 3 of 3');
    expect(withoutDiff.output).toContain('That was the last hint: it shows the exact code. Make the change, then run `npm run check 3`.');
  });

  test('after the files change, checks again; when the step passes, says so and names the next step', async () => {
    const stepsCopy = copyOfSteps();
    const env = { WORKSHOP_STATE_DIR: state, WORKSHOP_STEPS_DIR: stepsCopy };

    const failing = await runKit(['hint', '3'], env);
    expect(failing.output).toContain('Hint 1 of 3 — the server hands out');

    const connectCopy = join(stepsCopy, connect.folder);
    for (const file of ['index.ts', 'index.html']) cpSync(join(connectCopy, 'solution', file), join(connectCopy, file));
    const passing = await runKit(['hint', '3'], env);
    expect(passing.output).toContain('Checking step 3 first…');
    expect(passing.output).toMatch(/✔ Step 03 passes: no hint needed\. Next: read the lesson of step 4 at http:\/\/localhost:\d+\/steps\/04-emit\/ \(`npm start` serves it\) or in \S*steps\/04-emit\/README\.md, then run `npm run step 4`\./);
    expect(passing.output).not.toContain('Hint');
    expect(passing.code).toBe(0);
  });

  test('once the step passes, its hints start again from the first when it fails again', async () => {
    const stepsCopy = copyOfSteps();
    const env = { WORKSHOP_STATE_DIR: state, WORKSHOP_STEPS_DIR: stepsCopy };
    const connectCopy = join(stepsCopy, connect.folder);
    const putBack = (variant: 'solution' | 'starter') => {
      for (const file of ['index.ts', 'index.html']) cpSync(join(connectCopy, variant, file), join(connectCopy, file));
    };

    expect((await runKit(['hint', '3'], env)).output).toContain('Hint 1 of 3');
    expect((await runKit(['hint', '3'], env)).output).toContain('Hint 2 of 3');
    putBack('solution');
    expect((await runKit(['check', '3'], env)).code).toBe(0);
    putBack('starter');
    expect((await runKit(['hint', '3'], env)).output).toContain('Hint 1 of 3');
  });

  test('a check that passed while another failed starts again from its first hint when it fails again', async () => {
    const stepsCopy = copyOfSteps();
    const env = { WORKSHOP_STATE_DIR: state, WORKSHOP_STEPS_DIR: stepsCopy };
    const connectCopy = join(stepsCopy, connect.folder);
    const serverOf = (variant: 'solution' | 'starter') => cpSync(join(connectCopy, variant, 'index.ts'), join(connectCopy, 'index.ts'));

    expect((await runKit(['hint', '3'], env)).output).toContain('Hint 1 of 3 — the server hands out');
    expect((await runKit(['hint', '3'], env)).output).toContain('Hint 2 of 3 — the server hands out');
    // The server is fixed, the page is not: the first check passes, a later one fails.
    serverOf('solution');
    const pageStuck = await runKit(['hint', '3'], env);
    expect(pageStuck.output).toContain('Checking step 3 first…');
    expect(pageStuck.output).not.toContain('the server hands out');
    serverOf('starter');
    expect((await runKit(['hint', '3'], env)).output).toContain('Hint 1 of 3 — the server hands out');
  });

  test('after `npm run reset` and `npm run restore`, the step\'s hints start again from the first', async () => {
    const stepsCopy = copyOfSteps();
    const env = { WORKSHOP_STATE_DIR: state, WORKSHOP_STEPS_DIR: stepsCopy };
    const server = join(stepsCopy, connect.folder, 'index.ts');
    writeFileSync(server, `${readFileSync(server, 'utf8')}\n// tried something\n`);

    expect((await runKit(['hint', '3'], env)).output).toContain('Hint 1 of 3');
    expect((await runKit(['hint', '3'], env)).output).toContain('Hint 2 of 3');
    expect((await runKit(['reset', '3'], env)).code).toBe(0);
    expect((await runKit(['hint', '3'], env)).output).toContain('Hint 1 of 3');
    expect((await runKit(['hint', '3'], env)).output).toContain('Hint 2 of 3');
    expect((await runKit(['restore', '3'], env)).code).toBe(0);
    expect((await runKit(['hint', '3'], env)).output).toContain('Hint 1 of 3');
  });

  test('after a failed `npm run check`, that check names the hint command, and the hint uses its result', async () => {
    const check = await runKit(['check', '1'], { WORKSHOP_STATE_DIR: state });
    expect(check.code).toBe(1);
    expect(check.output).toContain('Stuck?   `npm run hint 1` gives a hint, one step closer each time.');
    // What to do, for code that does not start (step 01's starter) and for a check that fails (03's).
    expect(check.output).toContain('Fix that, then run `npm run check 1` again');

    const hint = await runKit(['hint', '1'], { WORKSHOP_STATE_DIR: state });
    expect(hint.output).not.toContain('Checking step 1');
    expect(hint.output).toContain('Hint 1 of 3 — your code starts and listens');
    const ladder = (await readHints(steps[0]!))!.get(didNotStartId)!;
    expect(oneLine(hint.output)).toContain(ladder[0]);

    const failedCheck = await runKit(['check', '3'], { WORKSHOP_STATE_DIR: state });
    expect(failedCheck.output).toMatch(/✗ the server hands out the Socket\.IO client[^\n]*\n(.*\n)*?\s+Stuck\?\s+`npm run hint 3`/);
    expect(failedCheck.output).toContain('Fix the one marked ✗, then run `npm run check 3` again');
    // The section it points at, also on the site, by the anchor the site gives that heading.
    expect(failedCheck.output).toMatch(/Read +"Attach Socket\.IO to the server" in steps\/03-connect\/README\.md\n +or at http:\/\/localhost:\d+\/steps\/03-connect\/#attach-socketio-to-the-server\n/);
  });

  test.each([
    [['hint', '99'], /^✖ There is no step "99"\. Steps go from 1 to \d+, e\.g\. `1`/],
    [['hint', 'emitt'], /^✖ There is no step "emitt"\./],
    [['hint'], /^✖ Which step\? e\.g\. `npm run hint 4`\./],
    [['hint', '3', '--solution'], /^✖ `npm run hint` works on your own files in steps\/, so --solution does not apply: use `npm run hint 3`\./],
    [['hint', '3', '--soluton'], /^✖ Unknown option '--soluton': `npm run hint` takes a step and nothing else/],
  ])('%j: one sentence, and what to type instead', async (args, message) => {
    const run = await runKit(args, { WORKSHOP_STATE_DIR: state });
    expect(run.code).toBe(2);
    expect(run.output.trim()).toMatch(message);
    expect(run.output.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(state, 'hints')), 'nothing saved').toBe(false);
  });
});
