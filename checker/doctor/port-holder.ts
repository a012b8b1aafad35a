// Which process listens on a TCP port, best effort: the kernel's tables on Linux (no tool needed,
// but only the learner's own processes can be seen), lsof on macOS, netstat on Windows. Any
// failure or a slow answer gives undefined, and the learner reads "another program".
import { execFile } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { basename } from 'node:path';

export interface PortHolder {
  pid: number;
  /** The program, e.g. `node`. */
  name: string;
  /** Its command line, when it can be read. */
  command?: string;
}

const listenState = '0A';

export function findPortHolder(port: number, timeoutMs = 1500): Promise<PortHolder | undefined> {
  const lookup = lookUp(port, timeoutMs);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    lookup.then(resolve, () => resolve(undefined)).finally(() => clearTimeout(timer));
  });
}

function lookUp(port: number, timeoutMs: number): Promise<PortHolder | undefined> {
  if (process.platform === 'linux') return fromProcFs(port);
  if (process.platform === 'darwin') return fromLsof(port, timeoutMs);
  if (process.platform === 'win32') return fromNetstat(port, timeoutMs);
  return Promise.resolve(undefined);
}

/** The socket inodes listening on `port`, from /proc/net/tcp and tcp6. */
async function listeningInodes(port: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      const localPort = Number.parseInt(fields[1]?.split(':').at(-1) ?? '', 16);
      if (localPort === port && fields[3] === listenState && fields[9] && fields[9] !== '0') inodes.add(fields[9]);
    }
  }
  return inodes;
}

async function fromProcFs(port: number): Promise<PortHolder | undefined> {
  const inodes = await listeningInodes(port);
  if (inodes.size === 0) return undefined;
  const links = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  const owners = await Promise.all(
    pids.map(async (pid) => {
      const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
      for (const fd of fds) {
        if (links.has(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''))) return Number(pid);
      }
      return undefined;
    }),
  );
  const pid = owners.find((owner) => owner !== undefined);
  if (pid === undefined) return undefined;
  const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').filter(Boolean);
  const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
  return { pid, name: argv[0] ? basename(argv[0]) : comm || 'a program', command: argv.join(' ') || undefined };
}

function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, windowsHide: true }, (error, stdout) => (error && !stdout ? reject(error) : resolve(stdout)));
  });
}

async function fromLsof(port: number, timeoutMs: number): Promise<PortHolder | undefined> {
  // -F pc: one field per line, `p<pid>` then `c<command>`.
  const output = await run('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], timeoutMs);
  const pid = Number(/^p(\d+)$/m.exec(output)?.[1]);
  const name = /^c(.+)$/m.exec(output)?.[1];
  return pid && name ? { pid, name } : undefined;
}

async function fromNetstat(port: number, timeoutMs: number): Promise<PortHolder | undefined> {
  // `  TCP    0.0.0.0:3000    0.0.0.0:0    LISTENING    1234` (and `[::]:3000` for IPv6).
  const output = await run('netstat', ['-ano'], timeoutMs);
  const line = output.split(/\r?\n/).find((row) => {
    const fields = row.trim().split(/\s+/);
    return fields[0] === 'TCP' && fields[1]?.endsWith(`:${port}`) && fields[3] === 'LISTENING';
  });
  const pid = Number(line?.trim().split(/\s+/)[4]);
  if (!pid) return undefined;
  // `"node.exe","1234","Console","1","45,000 K"`
  const task = await run('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH'], timeoutMs).catch(() => '');
  return { pid, name: /^"([^"]+)"/.exec(task.trim())?.[1] ?? 'a program' };
}
