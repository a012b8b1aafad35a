// Can the learner's server (PORT, 3000 by default) and the workshop site (DOCS_PORT, 4000) listen?
// Each port is tried as the learner's code does it, `listen(port)` (`::`, dual-stack, where IPv6
// exists), then on 127.0.0.1: on macOS and Windows a program bound to 127.0.0.1 alone does not stop
// the first, yet it is what http://localhost reaches.
import { createServer } from 'node:net';
import { relative, sep } from 'node:path';
import { repoRoot } from '../course/steps.ts';
import type { Diagnosis } from './diagnosis.ts';
import { findPortHolder, type PortHolder } from './port-holder.ts';

type PortRole = 'step' | 'site';

interface PortToCheck {
  port: number;
  role: PortRole;
  /** The environment variable that chose it, when one did. */
  variable?: string;
}

type ListenResult = { free: true } | { free: false; code: string };

function tryListen(port: number, host?: string): Promise<ListenResult> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve({ free: false, code: error.code ?? error.message }));
    server.listen({ port, host }, () => server.close(() => resolve({ free: true })));
  });
}

async function probePort(port: number): Promise<ListenResult> {
  const any = await tryListen(port);
  return any.free ? tryListen(port, '127.0.0.1') : any;
}

function portsToCheck(env: NodeJS.ProcessEnv): { ports: PortToCheck[]; problems: Diagnosis[] } {
  const ports: PortToCheck[] = [
    { port: 3000, role: 'step' },
    { port: 4000, role: 'site' },
  ];
  const problems: Diagnosis[] = [];
  for (const [variable, role] of [['PORT', 'step'], ['DOCS_PORT', 'site']] as const) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      problems.push({
        name: variable,
        status: 'warn',
        summary: `${variable} is set to "${value}", which is not a port number`,
        fix: `Set ${variable} to a number from 1024 to 65535, or unset it: \`unset ${variable}\`.`,
      });
    } else if (!ports.some((known) => known.port === port)) {
      ports.push({ port, role, variable });
    }
  }
  return { ports, problems };
}

const purpose = (role: PortRole) => (role === 'step' ? '`npm run step`' : '`npm start`, the workshop site');

/** The workshop's own processes, told by their command line: neither is a problem. */
function describeWorkshopProcess(holder: PortHolder | undefined): string | undefined {
  const command = holder?.command;
  if (!command) return undefined;
  if (command.includes('for-step-runner')) {
    const entry = /\S*steps[\\/]\S+\.ts/.exec(command)?.[0];
    const shown = entry ? relative(repoRoot, entry).split(sep).join('/') : 'a step';
    return `\`npm run step\`, running ${shown}`;
  }
  if (/kit\.js start\b/.test(command)) return '`npm start`, the workshop site';
  return undefined;
}

async function answersAsWorkshopSite(port: number): Promise<boolean> {
  try {
    const answer = await fetch(`http://localhost:${port}/`, { signal: AbortSignal.timeout(1000) });
    return (await answer.text()).includes('Real-time chat workshop');
  } catch {
    return false;
  }
}

function describeHolder(holder: PortHolder | undefined): string {
  if (!holder) return 'another program';
  const command = holder.command && holder.command.length > 90 ? `${holder.command.slice(0, 89)}…` : holder.command;
  return `${holder.name} (pid ${holder.pid}${command ? `: ${command}` : ''})`;
}

function portFix(role: PortRole, port: number): string {
  const other = port + 1;
  return role === 'step'
    ? `Stop it with Ctrl+C in its terminal, or run your step on another port: \`PORT=${other} npm run step 1\` (PowerShell: \`$env:PORT=${other}; npm run step 1\`).`
    : `Stop it with Ctrl+C in its terminal, or serve the site on another port: \`DOCS_PORT=${other} npm start\` (PowerShell: \`$env:DOCS_PORT=${other}; npm start\`).`;
}

async function diagnosePort({ port, role, variable }: PortToCheck): Promise<Diagnosis> {
  const name = `Port ${port}`;
  const chosenBy = variable ? ` (set by ${variable})` : '';
  const result = await probePort(port);
  if (result.free) return { name, status: 'ok', summary: `free for ${purpose(role)}${chosenBy}` };
  if (result.code === 'EACCES') {
    return { name, status: 'warn', summary: `this user may not listen on port ${port}${chosenBy}`, fix: 'Use a port from 1024 to 65535.' };
  }
  if (result.code !== 'EADDRINUSE') {
    return { name, status: 'warn', summary: `cannot be listened on (${result.code})${chosenBy}`, fix: portFix(role, port) };
  }
  const [holder, isSite] = await Promise.all([findPortHolder(port), role === 'site' ? answersAsWorkshopSite(port) : false]);
  const ours = describeWorkshopProcess(holder) ?? (isSite ? '`npm start`, the workshop site' : undefined);
  if (ours) {
    return { name, status: 'ok', summary: `in use by the workshop's own ${ours}${chosenBy}: fine while you use it` };
  }
  return { name, status: 'warn', summary: `in use by ${describeHolder(holder)}${chosenBy}`, fix: portFix(role, port) };
}

export async function diagnosePorts(env: NodeJS.ProcessEnv = process.env): Promise<Diagnosis[]> {
  const { ports, problems } = portsToCheck(env);
  return [...(await Promise.all(ports.map(diagnosePort))), ...problems];
}
