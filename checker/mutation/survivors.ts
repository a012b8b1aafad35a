// The mutants a step's checks let through, read from Stryker's JSON report, and matched with the
// ones the step lists as accounted for (steps/NN-*/variants.ts, `survivors`), each with the reason
// why no check should catch it.
import type { ListedSurvivor } from '../checks/variant-case.ts';

export interface MutantOutcome {
  /** The file, relative to the step's solution folder. */
  file: string;
  line: number;
  mutator: string;
  /** The code as the reference has it, and as the mutant has it. */
  code: string;
  mutant: string;
  status: string;
}

interface ReportMutant {
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}

interface Report {
  files: Record<string, { source: string; mutants: ReportMutant[] }>;
}

/** Every mutant of the report, with the code it replaced. `solutionDir` is relative to where Stryker ran. */
export function readOutcomes(report: Report, solutionDir: string): MutantOutcome[] {
  const outcomes: MutantOutcome[] = [];
  for (const [path, { source, mutants }] of Object.entries(report.files)) {
    const lines = source.split('\n');
    const file = path.split('\\').join('/').replace(`${solutionDir}/`, '');
    for (const mutant of mutants) {
      outcomes.push({
        file,
        line: mutant.location.start.line,
        mutator: mutant.mutatorName,
        code: textAt(lines, mutant.location),
        mutant: mutant.replacement ?? '',
        status: mutant.status,
      });
    }
  }
  return outcomes;
}

/** The source between two positions (lines from 1, columns from 1, as Stryker's report counts them). */
function textAt(lines: string[], { start, end }: ReportMutant['location']): string {
  if (start.line === end.line) return lines[start.line - 1]!.slice(start.column - 1, end.column - 1);
  return [lines[start.line - 1]!.slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1]!.slice(0, end.column - 1)].join('\n');
}

const squeeze = (code: string) => code.replace(/\s+/g, ' ').trim();

export function isListed(outcome: MutantOutcome, listed: ListedSurvivor): boolean {
  return listed.file === outcome.file && squeeze(listed.code) === squeeze(outcome.code) && squeeze(listed.mutant) === squeeze(outcome.mutant);
}

export interface SurvivorAccount {
  score: number;
  detected: number;
  total: number;
  /** Survivors with the step's reason for each. */
  accounted: { outcome: MutantOutcome; why: string }[];
  unaccounted: MutantOutcome[];
  /** Listed survivors that no mutant matches any more: killed now, or the code changed. */
  stale: ListedSurvivor[];
}

/** Killed and timed-out mutants count as detected, as Stryker counts them; errors that never ran are left out. */
export function accountFor(outcomes: MutantOutcome[], listed: ListedSurvivor[]): SurvivorAccount {
  const counted = outcomes.filter((outcome) => ['Killed', 'Timeout', 'Survived', 'NoCoverage'].includes(outcome.status));
  const detected = counted.filter((outcome) => outcome.status === 'Killed' || outcome.status === 'Timeout').length;
  const survivors = counted.filter((outcome) => outcome.status === 'Survived' || outcome.status === 'NoCoverage');
  const accounted: SurvivorAccount['accounted'] = [];
  const unaccounted: MutantOutcome[] = [];
  for (const outcome of survivors) {
    const reason = listed.find((each) => isListed(outcome, each));
    if (reason) accounted.push({ outcome, why: reason.why });
    else unaccounted.push(outcome);
  }
  const stale = listed.filter((each) => !survivors.some((outcome) => isListed(outcome, each)));
  return { score: counted.length === 0 ? 1 : detected / counted.length, detected, total: counted.length, accounted, unaccounted, stale };
}
