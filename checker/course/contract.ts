// A step's contract: every requirement its lesson states, in the lesson's own section "What the
// checker proves", each with an id and the checks that prove it. The learner reads it on the
// lesson page; the kit's tests hold it to the step's checks, both ways.
//
//   - **R1** The server refuses a client without a nickname, and says why. _(nickname-required)_
//
// An item may run over several lines, each continued with two spaces.
import { KitError } from '../errors/kit-error.ts';

export const contractHeading = 'What the checker proves';

export interface Requirement {
  /** R1, R2…: stable within the step, so that notes and reviews can name one. */
  id: string;
  /** The requirement as the learner reads it. */
  text: string;
  /** Ids of the checks in check.ts that prove it. */
  checks: string[];
}

export class ContractFormatError extends KitError {
  constructor(message: string) {
    super(message, 'files');
  }
}

const itemPattern = /^\*\*(R\d+)\*\* ([\s\S]+?) _\(([a-z0-9-]+(?:, [a-z0-9-]+)*)\)_$/;

/** The requirements of a lesson's contract section; none when the lesson has no such section. */
export function parseContract(lesson: string): Requirement[] {
  const section = sectionText(lesson);
  if (section === undefined) return [];
  const items: string[] = [];
  for (const line of section.split('\n')) {
    if (line.startsWith('- ')) items.push(line.slice(2));
    else if (line.startsWith('  ') && items.length > 0) items[items.length - 1] += ` ${line.trim()}`;
  }
  return items.map((item) => {
    const match = itemPattern.exec(item.trim());
    if (!match) throw new ContractFormatError(`"${item.slice(0, 80)}…" is not "**R1** what is required. _(check-id, …)_"`);
    return { id: match[1]!, text: match[2]!, checks: match[3]!.split(', ') };
  });
}

function sectionText(lesson: string): string | undefined {
  const start = lesson.indexOf(`\n## ${contractHeading}\n`);
  if (start === -1) return undefined;
  const body = lesson.slice(start + contractHeading.length + 5);
  const end = body.search(/^## /m);
  return end === -1 ? body : body.slice(0, end);
}
