// The course as a bar: one cell per step, filled when its saved progress says it passes for the
// files as they are now.
import pc from 'picocolors';
import type { Step } from '../course/steps.ts';
import { readProgress } from './progress-store.ts';

export interface CourseProgress {
  passed: number;
  total: number;
}

export async function readCourseProgress(steps: Step[]): Promise<CourseProgress> {
  const statuses = await Promise.all(steps.map((step) => readProgress(step).catch(() => undefined)));
  const passed = statuses.filter((status) => status?.kind === 'fresh' && status.progress.passed).length;
  return { passed, total: steps.length };
}

export function formatProgressBar({ passed, total }: CourseProgress): string {
  const width = 20;
  const filled = total === 0 ? 0 : Math.round((passed / total) * width);
  return `${pc.green('█'.repeat(filled))}${pc.dim('░'.repeat(width - filled))} ${passed} of ${total} steps pass`;
}
