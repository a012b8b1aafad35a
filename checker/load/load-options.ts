// Reads the options of `npm run load`: which step's server, how many clients, how many messages
// a second, for how long, over how many server processes, and whether to compare with the bare
// io.emit chat. Bad input is one sentence (exit 2).
import { parseArgs } from 'node:util';
import { describeStepChoices, findStep, listSteps, variantDir, type Step, type Variant } from '../course/steps.ts';
import { findNpmFlagTypo } from '../commands/npm-flag-typos.ts';
import { UsageError } from '../errors/kit-error.ts';
import { goals } from './goals.ts';

export interface LoadOptions {
  step: Step;
  variant: Variant;
  /** The folder holding the server's index.ts. */
  dir: string;
  clients: number;
  /** Messages per second, in total, spread evenly over the clients. */
  rate: number;
  durationSeconds: number;
  processes: number;
  /** Whether to put the same load on the bare io.emit chat too, and give the figures as ratios to it. */
  baseline: boolean;
}

/** The step whose chat is made to scale: what `npm run load` loads by default. */
export const scaleOutStep = 12;
/** The first step whose protocol the tool speaks: rooms, and an acknowledgement for each message. */
const firstLoadableStep = 9;
/**
 * The chat refuses more than 5 messages per 3 s from one connection. One a second per client stays
 * under that however the timers bunch up, so that a refusal never passes for the server's slowness.
 */
const maxRatePerClient = 1;
const example = '`npm run load -- --step 9 --solution --clients 200 --rate 50 --duration 10`';
const loadFlags = ['step', 'clients', 'rate', 'duration', 'processes'];
const defaultDurationSeconds = 10;

/** What `npm run load -- --help` prints. */
export const loadUsage = [
  "npm run load -- [options]: real Socket.IO clients against a step's chat server, and the figures that say whether it holds up.",
  '',
  `  --step N        the step whose server to load, ${firstLoadableStep} or later (default: ${scaleOutStep})`,
  '  --solution      load the reference solution rather than your files',
  `  --clients N     how many clients, WebSocket only, split evenly over the processes (default: ${goals.clients})`,
  `  --rate N        messages per second in total, sent by each client in turn (default: ${goals.atRate})`,
  `  --duration N    for how many seconds messages are sent (default: ${defaultDurationSeconds})`,
  `  --processes N   server processes sharing a Redis server, step ${scaleOutStep} or later (default: 1)`,
  '  --no-baseline   skip the baseline: by default the same load then goes to a bare Socket.IO chat',
  "                  (io.emit to everyone, nothing else), and the figures are also given as ratios to it",
  '',
  `Goals: ${goals.clients} clients; p99 broadcast latency ≤ ${goals.p99LatencyMs} ms at ${goals.atRate} messages/s; server heap ≤ ${goals.heapPerConnection / 1024} KB per connection.`,
  `e.g. ${example.replaceAll('`', '')}`,
].join('\n');

export async function readLoadOptions(args: string[]): Promise<LoadOptions> {
  // Without `--`, npm takes `--clients 10` as a setting of its own, and passes on only the `10`.
  const takenByNpm = loadFlags.find((flag) => process.env[`npm_config_${flag}`] !== undefined);
  if (takenByNpm) throw new UsageError(`npm kept --${takenByNpm} for itself: put \`--\` before the options, e.g. ${example}.`);
  const typo = findNpmFlagTypo();
  if (typo) throw new UsageError(`There is no option --${typo.typed}: did you mean --${typo.meant}? e.g. ${example}.`);

  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        step: { type: 'string', default: String(scaleOutStep) },
        solution: { type: 'boolean' },
        clients: { type: 'string', default: String(goals.clients) },
        rate: { type: 'string', default: String(goals.atRate) },
        duration: { type: 'string', default: String(defaultDurationSeconds) },
        processes: { type: 'string', default: '1' },
        'no-baseline': { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify.*$/, '')}: the options are --step, --solution, --clients, --rate, --duration, --processes and --no-baseline (\`npm run load -- --help\` says more), e.g. ${example}.`);
  }
  const flagFromNpm = process.env['npm_config_solution'];
  const solution = values.solution === true || (flagFromNpm !== undefined && flagFromNpm !== '' && flagFromNpm !== 'false');
  // Without `--`, npm reads --no-baseline as its own setting `baseline` = false.
  const baseline = values['no-baseline'] !== true && process.env['npm_config_baseline'] !== 'false';

  const steps = await listSteps();
  const step = findStep(steps, values.step);
  if (!step) throw new UsageError(`There is no step "${values.step}". ${describeStepChoices(steps)}`);
  if (step.number < firstLoadableStep) {
    throw new UsageError(`\`npm run load\` needs the chat of step ${firstLoadableStep} or later (rooms and acknowledgements): use e.g. \`npm run load -- --step ${firstLoadableStep} --solution\`.`);
  }
  const clients = wholeNumber('clients', values.clients, 2, 10_000);
  const rate = positiveNumber('rate', values.rate, 1000);
  const durationSeconds = positiveNumber('duration', values.duration, 600);
  const processes = wholeNumber('processes', values.processes, 1, 8);
  if (rate / clients > maxRatePerClient) {
    throw new UsageError(
      `--rate ${rate} over ${clients} clients is more than ${maxRatePerClient} message a second per client, and the chat refuses more than 5 per 3 s: ` +
        `use --clients ${Math.ceil(rate / maxRatePerClient)} or more, or --rate ${clients * maxRatePerClient} or less.`,
    );
  }
  if (processes > 1 && step.number < scaleOutStep) {
    throw new UsageError(`--processes ${processes} needs step ${scaleOutStep} or later, whose servers pass messages to each other through Redis: use \`--step ${scaleOutStep}\` or leave out --processes.`);
  }
  const variant: Variant = solution ? 'solution' : 'learner';
  return { step, variant, dir: variantDir(step, variant), clients, rate, durationSeconds, processes, baseline };
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new UsageError(`--${flag} takes a whole number from ${min} to ${max}, not "${text}".`);
  return value;
}

function positiveNumber(flag: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value <= 0 || value > max) throw new UsageError(`--${flag} takes a number above 0 and at most ${max}, not "${text}".`);
  return value;
}
