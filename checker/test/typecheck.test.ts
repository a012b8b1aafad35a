// The type check beside the checks: its errors are found with their place, and a compiler starved
// while the checks ran (a busy machine) is still waited for once they are done.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../course/steps.ts';
import { startTypecheck } from '../judge/typecheck.ts';
import { isAlive } from './helpers/is-alive.ts';

const dir = mkdtempSync(join(repoRoot, 'checker', 'test', 'tmp-typecheck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileWith(source: string): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(file, source);
  return file;
}

const typeError = "const port: string = 4000;\nconsole.log(port);\n";

describe('the type check', () => {
  it('lists a type error with its file, line and column', async () => {
    const file = fileWith(typeError);
    const outcome = await startTypecheck(file).finish();
    expect(outcome).toEqual({ notes: [{ location: `${relative(repoRoot, file)}:1:7`, message: "Type 'number' is not assignable to type 'string'." }] });
  });

  it('lists nothing for code without type errors', async () => {
    expect(await startTypecheck(fileWith("const port: number = 4000;\nconsole.log(port);\n")).finish()).toEqual({ notes: [] });
  });

  it("knows Node.js's globals, and names the page's in the server's code as the mistake they are", async () => {
    const nodeGlobals = [
      "const url = new URL('http://localhost:3000/');",
      'const answer: Response = await fetch(url);',
      "const bytes = new TextEncoder().encode(await answer.text());",
      'const timer: ReturnType<typeof setTimeout> = setTimeout(() => console.log(structuredClone({ bytes })), 10);',
      'clearTimeout(timer);',
      '',
    ].join('\n');
    expect(await startTypecheck(fileWith(`${nodeGlobals}export {};\n`)).finish()).toEqual({ notes: [] });
    const outcome = await startTypecheck(fileWith("document.title = 'chat';\nexport {};\n")).finish();
    expect(outcome).toMatchObject({ notes: [{ message: "Cannot find name 'document': only a page in the browser has it, and this file runs in Node.js (code for the page goes in its <script>)." }] });
  });

  it('counts its deadline from the end of the checks, however long it was starved before', async () => {
    const check = startTypecheck(fileWith(typeError));
    // Stopped, as a compiler at the lowest priority is on a machine kept busy by other work, for
    // longer than the whole deadline given afterwards.
    process.kill(check.pid!, 'SIGSTOP');
    await new Promise<void>((resolve) => setTimeout(resolve, 3500));
    process.kill(check.pid!, 'SIGCONT');
    const outcome = await check.finish(3000);
    expect(outcome).toMatchObject({ notes: [{ message: "Type 'number' is not assignable to type 'string'." }] });
  });

  it('says it did not finish, and ends the compiler, when it does not answer by the deadline', async () => {
    const check = startTypecheck(fileWith(typeError));
    process.kill(check.pid!, 'SIGSTOP');
    expect(await check.finish(300)).toEqual({ unfinished: true, waitedMs: 300 });
    await expect.poll(() => isAlive(check.pid!), { timeout: 5000 }).toBe(false);
  });
});
