// The processes running on this machine, as `ps` lists them: for tests of what a command leaves
// running, and for the evidence a test gives when a command never ends.
import { execFileSync } from 'node:child_process';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** How long it has run, as ps says it: [[dd-]hh:]mm:ss. */
  elapsed: string;
  command: string;
}

/**
 * The processes alive now. Not zombies: a process that has ended stays listed until its parent
 * collects its exit status, and an orphan's new parent, init, may take seconds to (this machine's
 * init collects them every 2 s, and took over 10 s once in a busy CI run). It runs no more.
 */
export function processes(): ProcessInfo[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,stat=,etime=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && !match[3]!.startsWith('Z'))
    .map(([, pid, ppid, , elapsed, command]) => ({ pid: Number(pid), ppid: Number(ppid), elapsed: elapsed!, command: command! }));
}

/** `root` and every process under it, now. */
export function tree(root: number): ProcessInfo[] {
  const all = processes();
  const found = all.filter((info) => info.pid === root);
  for (let index = 0; index < found.length; index += 1) found.push(...all.filter((info) => info.ppid === found[index]!.pid));
  return found;
}
