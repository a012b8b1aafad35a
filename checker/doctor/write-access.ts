// Can the kit write where it must? steps/ holds the learner's code; the state folder (.workshop/,
// or WORKSHOP_STATE_DIR) holds their progress. Each gets a small file written and removed again.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stepsRoot } from '../course/steps.ts';
import { stateDir } from '../progress/state-dir.ts';
import type { Diagnosis } from './diagnosis.ts';

async function writeProbe(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const probe = join(dir, `.doctor-${process.pid}.tmp`);
  await writeFile(probe, 'npm run doctor checks that this folder can be written\n');
  await rm(probe, { force: true });
}

function explain(dir: string, error: NodeJS.ErrnoException, otherFolder: string): Pick<Diagnosis, 'summary' | 'fix'> {
  switch (error.code) {
    case 'EACCES':
    case 'EPERM':
      return {
        summary: `${dir} cannot be written: permission denied`,
        fix: `Give your user write access to it (Linux, macOS: \`sudo chown -R "$USER" "${dir}"\`), or ${otherFolder}.`,
      };
    case 'EROFS':
      return { summary: `${dir} is on a read-only file system`, fix: `Copy the kit into a folder you can write to, e.g. ~/workshop, or ${otherFolder}.` };
    case 'ENOTDIR':
    case 'EEXIST':
      return { summary: `${dir} cannot be written: part of that path is a file, not a folder`, fix: `Move or rename that file, or ${otherFolder}.` };
    case 'ENOSPC':
      return { summary: `${dir} cannot be written: the disk is full`, fix: 'Free some disk space, then run `npm run doctor` again.' };
    default:
      return { summary: `${dir} cannot be written (${error.code ?? error.message})`, fix: `Check that folder, or ${otherFolder}.` };
  }
}

async function diagnoseFolder(name: string, dir: string, otherFolder: string): Promise<Diagnosis> {
  try {
    await writeProbe(dir);
    return { name, status: 'ok', summary: `${dir} can be written` };
  } catch (error) {
    return { name, status: 'fail', ...explain(dir, error as NodeJS.ErrnoException, otherFolder) };
  }
}

export function diagnoseWriteAccess(): Promise<Diagnosis[]> {
  const movedState = Boolean(process.env['WORKSHOP_STATE_DIR']);
  return Promise.all([
    diagnoseFolder('Steps folder', stepsRoot, 'copy the kit into a folder of your own, e.g. ~/workshop'),
    diagnoseFolder(
      'State folder',
      stateDir(),
      movedState ? 'point WORKSHOP_STATE_DIR at a folder you can write to, or unset it' : 'copy the kit into a folder of your own, e.g. ~/workshop',
    ),
  ]);
}
