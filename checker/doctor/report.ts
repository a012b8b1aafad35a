// How `npm run doctor` shows its diagnoses: a list for the learner, then the same in plain text,
// fenced for markdown, for them to paste into a help request. Neither shows the home folder's
// path (it often holds the learner's name): it reads `~`.
import { homedir } from 'node:os';
import pc from 'picocolors';
import type { Diagnosis, DiagnosisStatus } from './diagnosis.ts';

const marks: Record<DiagnosisStatus, string> = { ok: pc.green('✔'), warn: pc.yellow('!'), fail: pc.red('✖') };

/** Replaces the home folder's path with `~`. */
export function hideHome(text: string, home = homedir()): string {
  if (!home || home === '/' || home === '\\') return text;
  const variants = new Set([home, home.replaceAll('\\', '/')]);
  let hidden = text;
  for (const variant of variants) hidden = hidden.replaceAll(variant, '~');
  return hidden;
}

function countOf(diagnoses: Diagnosis[], status: DiagnosisStatus): number {
  return diagnoses.filter((diagnosis) => diagnosis.status === status).length;
}

function verdict(diagnoses: Diagnosis[]): string {
  const [warnings, failures] = [countOf(diagnoses, 'warn'), countOf(diagnoses, 'fail')];
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  if (failures > 0) return `${plural(failures, 'problem')} to fix before the workshop can work${warnings ? `, and ${plural(warnings, 'warning')}` : ''}.`;
  if (warnings > 0) return `The workshop can run, with ${plural(warnings, 'warning')}.`;
  return 'Everything the workshop needs is in place.';
}

export function formatForLearner(diagnoses: Diagnosis[]): string {
  const width = Math.max(...diagnoses.map((diagnosis) => diagnosis.name.length));
  const lines = diagnoses.flatMap((diagnosis) => {
    const line = `${marks[diagnosis.status]} ${pc.bold(diagnosis.name.padEnd(width))}  ${hideHome(diagnosis.summary)}`;
    const showFix = diagnosis.fix && diagnosis.status !== 'ok';
    return showFix ? [line, `  ${' '.repeat(width)}  ${pc.dim('→')} ${hideHome(diagnosis.fix!)}`] : [line];
  });
  return [pc.bold('Workshop doctor'), '', ...lines, '', verdict(diagnoses)].join('\n');
}

export function formatForHelpRequest(diagnoses: Diagnosis[]): string {
  const lines = diagnoses.map((diagnosis) => `${diagnosis.status.padEnd(4)}  ${diagnosis.name}: ${hideHome(diagnosis.summary)}`);
  return ['```text', `npm run doctor: ${verdict(diagnoses)}`, ...lines, '```'].join('\n');
}
