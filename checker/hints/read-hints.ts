// A step's hints, from `steps/NN-slug/hints.md`: one `## <check-id>` section per check (and one
// `## did-not-start` for code that does not start), each a numbered list that goes from a nudge
// to the exact code. A small line parser: the format is this narrow on purpose, and every
// mistake in it is reported with the file and the line.
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { repoRoot, type Step } from '../course/steps.ts';
import { KitError } from '../errors/kit-error.ts';

/** The section for code that does not start at all, so that no check ran. */
export const didNotStartId = 'did-not-start';

/** Check id → its hints, in the order they are given. */
export type StepHints = Map<string, string[]>;

export class HintsFileError extends KitError {
  constructor(
    readonly file: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${file}:${line}: ${problem}`, 'files');
  }
}

const sectionPattern = /^##\s+(\S.*?)\s*$/;
const itemPattern = /^(\d+)\.\s+(\S.*)$/;
const idPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** `file` names the text in errors. Text before the first section is a note for authors. */
export function parseHints(text: string, file: string): StepHints {
  const hints: StepHints = new Map();
  const starts = new Map<string, number>();
  let current: { id: string; list: string[] } | undefined;
  let lastLineWasItem = false;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const section = sectionPattern.exec(raw);
    if (section) {
      const id = section[1]!;
      if (!idPattern.test(id)) throw new HintsFileError(file, line, `"## ${id}" is not a check id: ids are lowercase words joined by dashes, like "logs-connect".`);
      if (hints.has(id)) throw new HintsFileError(file, line, `"## ${id}" comes twice (first on line ${starts.get(id)}).`);
      current = { id, list: [] };
      hints.set(id, current.list);
      starts.set(id, line);
      lastLineWasItem = false;
      return;
    }
    if (!current) return;
    if (raw.trim() === '') {
      lastLineWasItem = false;
      return;
    }
    const item = itemPattern.exec(raw);
    if (item) {
      const expected = current.list.length + 1;
      if (Number(item[1]) !== expected) throw new HintsFileError(file, line, `hint ${item[1]} of "## ${current.id}" should be numbered ${expected}.`);
      current.list.push(item[2]!.trim());
      lastLineWasItem = true;
      return;
    }
    // An indented line right under a hint continues it.
    if (lastLineWasItem && /^\s+\S/.test(raw)) {
      current.list[current.list.length - 1] += ` ${raw.trim()}`;
      return;
    }
    throw new HintsFileError(file, line, `under "## ${current.id}" only numbered hints ("1. …") may follow, found "${raw.trim().slice(0, 40)}".`);
  });
  for (const [id, list] of hints) {
    if (list.length === 0) throw new HintsFileError(file, starts.get(id)!, `"## ${id}" has no hints: give it a numbered list.`);
  }
  return hints;
}

export function hintsFileOf(step: Step): string {
  return join(step.dir, 'hints.md');
}

/** The step's hints; undefined when the step has no hints.md. */
export async function readHints(step: Step): Promise<StepHints | undefined> {
  const file = hintsFileOf(step);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseHints(text, relative(repoRoot, file).split(sep).join('/'));
}
