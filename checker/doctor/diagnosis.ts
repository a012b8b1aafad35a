// What every diagnosis of `npm run doctor` answers: one line for the learner, and what to do.
export type DiagnosisStatus = 'ok' | 'warn' | 'fail';

export interface Diagnosis {
  /** What was looked at, e.g. `Node.js`, `Port 3000`. */
  name: string;
  status: DiagnosisStatus;
  /** One plain sentence: what was found. */
  summary: string;
  /** What to do about it, for `warn` and `fail`. */
  fix?: string;
}
