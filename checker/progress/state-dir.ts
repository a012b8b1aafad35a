// Where the kit keeps what it knows about the learner: progress, backups, hint positions. It lives
// beside the course (`.workshop/`, ignored by git) so that reinstalling node_modules loses nothing.
// WORKSHOP_STATE_DIR moves it (the kit's tests use a fresh folder each).
import { join } from 'node:path';
import { repoRoot } from '../course/steps.ts';

export function stateDir(): string {
  return process.env['WORKSHOP_STATE_DIR'] || join(repoRoot, '.workshop');
}
