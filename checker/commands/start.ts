// `npm start`: the workshop site, at http://localhost:4000 (DOCS_PORT to change it), for this
// machine only. `npm start -- --host` shares it on the network (DOCS_HOST does the same).
import { networkInterfaces } from 'node:os';
import pc from 'picocolors';
import { createHostPolicy } from '../site/request-guard.ts';
import { startSiteServer } from '../site/server.ts';
import { UsageError } from '../errors/kit-error.ts';
import { startWarmJudge } from '../judge/warm-judge-process.ts';

const loopback = '127.0.0.1';
/** What `--host` alone, or DOCS_HOST=0.0.0.0, means: every interface of this machine. */
const everyInterface = ['0.0.0.0', '::', '*'];

interface StartArguments {
  /** The address to listen on; undefined for every interface. */
  host: string | undefined;
  shared: boolean;
}

/**
 * `--host`, `--host <address>` or `--host=<address>` after `--`; `npm start --host` without `--`
 * reaches us as npm_config_host; DOCS_HOST=<address> in the environment.
 */
function readStartArguments(args: string[], env: NodeJS.ProcessEnv = process.env): StartArguments {
  let chosen: string | undefined;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '--host') {
      const next = args[index + 1];
      chosen = next !== undefined && !next.startsWith('-') ? next : '*';
      if (chosen !== '*') index += 1;
    } else if (arg.startsWith('--host=')) {
      chosen = arg.slice('--host='.length) || '*';
    } else {
      throw new UsageError(`\`npm start\` takes one option, --host, to share the site on your network (e.g. \`npm start -- --host\`), not "${arg}".`);
    }
  }
  const fromNpm = env['npm_config_host'];
  chosen ??= fromNpm !== undefined && fromNpm !== '' && fromNpm !== 'false' ? (fromNpm === 'true' ? '*' : fromNpm) : undefined;
  chosen ??= env['DOCS_HOST'] || undefined;
  if (chosen === undefined) return { host: loopback, shared: false };
  if (everyInterface.includes(chosen)) return { host: undefined, shared: true };
  return { host: chosen, shared: !/^(localhost|127\.\d+\.\d+\.\d+|::1)$/i.test(chosen) };
}

/** The address that others on the network can open: this machine's first external IPv4 address. */
function networkAddress(): string | undefined {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  return addresses.find((address) => address.family === 'IPv4' && !address.internal)?.address;
}

const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

export async function run(args: string[]): Promise<number> {
  const wanted = Number(process.env['DOCS_PORT'] ?? 4000);
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
    throw new UsageError(`DOCS_PORT must be a port number from 0 to 65535, not "${process.env['DOCS_PORT']}".`);
  }
  const { host, shared } = readStartArguments(args);
  // Each reason once: a page that keeps trying must not flood the terminal.
  const told = new Set<string>();
  const onRefused = (reason: string) => {
    if (told.size >= 20 || told.has(reason)) return;
    told.add(reason);
    console.log(pc.yellow(`Refused a request: ${reason}`));
  };
  try {
    const policy = createHostPolicy({ extraNames: host === undefined ? [] : [host] });
    const { port, renderedAhead } = await startSiteServer({ port: wanted, host, policy, onRefused });
    // Listening on one address of the network, the site is not at localhost.
    const local = host === undefined || host === loopback ? 'localhost' : urlHost(host);
    console.log(pc.bold('The real-time chat workshop is open at ') + pc.cyan(`http://${local}:${port}`));
    if (shared) {
      const address = host ?? networkAddress();
      console.log(
        address
          ? `Shared on your network: give out ${pc.cyan(`http://${urlHost(address)}:${port}`)}; anyone on this network can open it.`
          : 'Shared on your network, but this machine has no network address yet: only it can open the site.',
      );
    }
    console.log(pc.dim('Start with the first lesson there; stop the site with Ctrl+C.'));
    // `npm run check` asks it first: vitest and the browser are ready, the check is quicker. It
    // starts once the pages are rendered, so that it takes no time from the first page read.
    void renderedAhead.then(() => startWarmJudge((sentence) => console.log(pc.yellow(sentence))));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new UsageError(`Port ${wanted} is already in use, perhaps by another \`npm start\`: open http://localhost:${wanted} if it is, or run \`DOCS_PORT=${wanted + 1} npm start\`.`);
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new UsageError(`This machine has no address "${host}" to share the site on: run \`npm start -- --host\` to share it on every network this machine is on.`);
    }
    throw error;
  }
  // Serve until Ctrl+C.
  return new Promise<number>(() => {});
}
