// A learner's files made from a step's reference solution with a few edits: a wrong (or a
// different but correct) way to do the step. Each edit must apply, so that a change to the
// solution cannot silently turn a variant into a copy of the reference.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Edits } from '../../checks/variant-case.ts';
import { repoRoot } from './run-kit.ts';

export type { Edits };

export interface Variant {
  dir: string;
  remove(): void;
}

export function makeVariant(stepFolder: string, edits: Edits): Variant {
  const stepDir = join(repoRoot, 'steps', stepFolder);
  const dir = mkdtempSync(join(repoRoot, 'checker', 'test', 'tmp-'));
  cpSync(join(stepDir, 'solution'), dir, { recursive: true });
  if (existsSync(join(stepDir, 'events.ts'))) {
    // The solution's files import '../events.ts', from one folder down: the variant has it beside.
    cpSync(join(stepDir, 'events.ts'), join(dir, 'events.ts'));
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
      const path = join(dir, file);
      writeFileSync(path, readFileSync(path, 'utf8').replace("'../events.ts'", "'./events.ts'"));
    }
  }
  for (const [file, edit] of Object.entries(edits)) {
    const path = join(dir, file);
    if (!Array.isArray(edit)) {
      writeFileSync(path, edit.replaceWith);
      continue;
    }
    let text = readFileSync(path, 'utf8');
    for (const [from, to] of edit) {
      const changed = text.replace(from, to);
      if (changed === text) throw new Error(`variant of ${stepFolder}: ${String(from)} not found in ${file}`);
      text = changed;
    }
    writeFileSync(path, text);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Processes still running the variant's files: there must be none once the check is over. */
function running(dir: string, ignore?: RegExp): string {
  try {
    const lines = execFileSync('pgrep', ['-af', dir], { encoding: 'utf8' }).trim().split('\n');
    return lines.filter((line) => !ignore?.test(line)).join('\n').trim();
  } catch {
    return '';
  }
}

/**
 * What still runs from `dir`, after giving what was just killed up to `graceMs` to go: the
 * kernel ends a killed process group a moment after the signal, more so on a busy machine.
 */
export async function leftRunning(dir: string, graceMs = 3000, ignore?: RegExp): Promise<string> {
  const deadline = Date.now() + graceMs;
  let left = running(dir, ignore);
  while (left !== '' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = running(dir, ignore);
  }
  return left;
}

/** The command line of a learner's process started ahead, waiting for its judgement (preload/wait-for-go.ts). */
export const spareLearner = /preload\/wait-for-go\.ts/;
