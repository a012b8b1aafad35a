// The summary of a load test: each figure on a line of its own, next to its goal, then one
// sentence for anything that makes the figures less than they seem (refusals, drops, lost
// copies, a load tool that was itself the bottleneck).
import pc from 'picocolors';
import { goals } from './goals.ts';
import { cpuAnswerTimeoutMs, drainTimeoutMs, type LoadFigures, type PhaseUsage } from './run-load.ts';

/** Connecting faster than this is no matter; and over a short time, the CPU figure is mostly start-up work. */
const slowConnectMs = 2000;
const count = new Intl.NumberFormat('en-US');
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatSummary(figures: LoadFigures): string[] {
  const { options, clients, recorder, connecting, sending } = figures;
  const connected = clients.sockets.length;
  const p50 = recorder.latencyMs(50);
  const p99 = recorder.latencyMs(99);
  const max = recorder.latencyMs(100);
  const heapPerConnection = (figures.heapConnected - figures.heapBefore) / connected;
  const deliveredPerSecond = recorder.delivered / (figures.trafficMs / 1000);

  const rows: [string, string, string][] = [
    [
      'clients',
      `${count.format(connected)} of ${count.format(options.clients)} connected in ${oneDecimal.format(clients.ms / 1000)} s`,
      options.clients < goals.clients ? notMeasured(`${count.format(goals.clients)} clients`, `--clients ${options.clients}`) : verdict(`${count.format(goals.clients)} clients`, connected >= goals.clients),
    ],
    ['sent', `${oneDecimal.format(recorder.sent / options.durationSeconds)} messages/s (${count.format(recorder.sent)} in ${options.durationSeconds} s, ${count.format(recorder.accepted)} accepted)`, ''],
    ['delivered', `${oneDecimal.format(deliveredPerSecond)} messages/s (${count.format(recorder.delivered)} copies to the other clients)`, ''],
    [
      'broadcast latency',
      p50 === undefined ? 'none: no copy arrived' : `p50 ${ms(p50)}  p99 ${ms(p99!)}  max ${ms(max!)}`,
      latencyGoal(options.rate, p99),
    ],
    [
      'server heap',
      `${oneDecimal.format(heapPerConnection / 1024)} KB per connection (${megabytes(figures.heapBefore)} → ${megabytes(figures.heapConnected)} after gc)`,
      // With a few clients, what the first connection costs once (code, caches) weighs on each.
      options.clients < goals.clients
        ? notMeasured(`≤ ${goals.heapPerConnection / 1024} KB`, `--clients ${options.clients}`)
        : verdict(`≤ ${goals.heapPerConnection / 1024} KB`, heapPerConnection <= goals.heapPerConnection),
    ],
    ['while connecting', cpu(connecting), ''],
    ['while sending', `${cpu(sending)}; this tool's event-loop delay p99 ${ms(sending.own.loopDelayP99Ms)}`, ''],
  ];
  const width = Math.max(...rows.filter(([, , goal]) => goal).map(([, figure]) => figure.length));
  const lines = [pc.bold('Summary')];
  for (const [name, figure, goal] of rows) lines.push(`  ${name.padEnd(18)} ${goal ? `${figure.padEnd(width)}  ${goal}` : figure}`.trimEnd());
  return [...lines, ...warnings(figures)];
}

function warnings({ options, clients, drops, recorder, settled, connecting, sending }: LoadFigures): string[] {
  const lines: string[] = [];
  const warn = (text: string) => lines.push(`${pc.yellow('⚠')} ${text}`);
  if (clients.failures.size > 0) warn(`${count.format(options.clients - clients.sockets.length)} clients could not connect: ${reasons(clients.failures)}.`);
  if (drops.size > 0) warn(`${count.format(total(drops))} clients lost their connection during the run: ${reasons(drops)}.`);
  if (recorder.refusals.size > 0) warn(`The server refused ${count.format(total(recorder.refusals))} messages: ${reasons(recorder.refusals)}.`);
  if (recorder.answered < recorder.sent) warn(`${count.format(recorder.sent - recorder.answered)} messages got no acknowledgement from the server.`);
  if (recorder.delivered === 0) {
    lines.push(`${pc.red('✖')} No message reached another client: does \`npm run check ${options.step.number}${options.variant === 'solution' ? ' -- --solution' : ''}\` pass?`);
  } else if (!settled && recorder.missing > 0) {
    warn(`${count.format(recorder.missing)} copies had not arrived ${drainTimeoutMs / 1000} s after the last message was sent, so the latency figures leave out the slowest ones.`);
  }
  if (recorder.unexpected > 0) warn(`${count.format(recorder.unexpected)} copies arrived that were not expected (twice to the same client, or to the sender).`);
  const { own } = sending;
  if (own.cpuBound) {
    warn(
      `This tool kept a core busy itself while sending (CPU ${percent(own.cpuShare)}, event-loop delay p99 ${ms(own.loopDelayP99Ms)}), so part of the latency is its own, not the server's: ` +
        'measure again with a lower --rate or fewer --clients to see the server alone.',
    );
  } else if (own.busy) {
    warn(
      `This tool's event loop ran late while sending (p99 ${ms(own.loopDelayP99Ms)} at only ${percent(own.cpuShare)} CPU: other processes, the server's too, had the cores), ` +
        "so part of the latency is the machine's, not the server's: measure again with fewer programs running, or a lower --rate.",
    );
  } else if (connecting.own.cpuBound && clients.ms >= slowConnectMs) {
    warn(`This tool was busy itself while connecting (CPU ${percent(connecting.own.cpuShare)} of a core), so part of the time to connect is its own, not the server's.`);
  }
  return lines;
}

function latencyGoal(rate: number, p99: number | undefined): string {
  const goal = `p99 ≤ ${goals.p99LatencyMs} ms at ${goals.atRate} messages/s`;
  if (rate !== goals.atRate) return notMeasured(goal, `--rate ${rate}`);
  return verdict(goal, p99 !== undefined && p99 <= goals.p99LatencyMs);
}

function verdict(goal: string, met: boolean): string {
  return met ? pc.green(`✔ goal ${goal}`) : pc.red(`✖ goal ${goal}`);
}

function notMeasured(goal: string, because: string): string {
  return pc.dim(`goal ${goal}: not measured (${because})`);
}

function reasons(counts: Map<string, number>): string {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, times]) => `"${reason}" (${count.format(times)})`)
    .join(', ');
}

function total(counts: Map<string, number>): number {
  return [...counts.values()].reduce((sum, times) => sum + times, 0);
}

const ms = (value: number) => `${oneDecimal.format(value)} ms`;
const cpu = ({ own, serverCpuShares }: PhaseUsage) => {
  const server = serverCpuShares
    ? `${serverCpuShares.map(percent).join(' + ')} of a core`
    : `too busy to say (no answer ${cpuAnswerTimeoutMs / 1000} s after the last message)`;
  return `CPU: server ${server}, this tool ${percent(own.cpuShare)}`;
};
const percent = (share: number) => `${Math.round(share * 100)} %`;
const megabytes = (bytes: number) => `${oneDecimal.format(bytes / 1024 / 1024)} MB`;
