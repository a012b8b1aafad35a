// The chat's figures as ratios to the bare io.emit chat's, under the same load on the same
// machine: what the chat costs beyond Socket.IO itself (its checks, its history, its
// acknowledgements), whatever the machine. Only what both measure is compared: the bare chat
// acknowledges nothing, and sends each message back to its sender too.
import pc from 'picocolors';
import { drainTimeoutMs, type LoadFigures } from './run-load.ts';

const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** The figures of one run that another can be compared with; undefined where there is none. */
export interface KeyFigures {
  receiptsPerSecond: number;
  p50Ms: number | undefined;
  p99Ms: number | undefined;
  /** Server CPU time (all processes) per copy delivered, in microseconds. */
  serverCpuMicrosPerReceipt: number | undefined;
  heapPerConnection: number;
}

export function keyFigures({ clients, recorder, trafficMs, sending, heapBefore, heapConnected }: LoadFigures): KeyFigures {
  return {
    receiptsPerSecond: recorder.delivered / (trafficMs / 1000),
    p50Ms: recorder.latencyMs(50),
    p99Ms: recorder.latencyMs(99),
    serverCpuMicrosPerReceipt: sending.serverCpuMs === undefined || recorder.delivered === 0 ? undefined : (sending.serverCpuMs * 1000) / recorder.delivered,
    heapPerConnection: (heapConnected - heapBefore) / clients.sockets.length,
  };
}

/** The comparison's lines, for the summary: one per figure, the chat's and the bare chat's, and the ratio. */
export function formatComparison(chat: LoadFigures, bare: LoadFigures): string[] {
  const ours = keyFigures(chat);
  const theirs = keyFigures(bare);
  const rows: [string, string][] = [
    ['receipts', compare(ours.receiptsPerSecond, theirs.receiptsPerSecond, (value) => `${count.format(value)}/s`)],
    ['latency p50', compare(ours.p50Ms, theirs.p50Ms, ms)],
    ['latency p99', compare(ours.p99Ms, theirs.p99Ms, ms)],
    ['server CPU', compare(ours.serverCpuMicrosPerReceipt, theirs.serverCpuMicrosPerReceipt, (value) => `${oneDecimal.format(value)} µs`, ' per copy delivered')],
    ['server heap', compare(ours.heapPerConnection, theirs.heapPerConnection, (value) => `${oneDecimal.format(value / 1024)} KB`, ' per connection')],
  ];
  const lines = [pc.bold('Compared with a bare Socket.IO chat') + pc.dim(' (io.emit to everyone, nothing else; the same clients and rate, just after)')];
  for (const [name, text] of rows) lines.push(`  ${name.padEnd(18)} ${text}`);
  lines.push(...comparisonWarnings(bare));
  return lines;
}

/** `3.10× the bare chat (12.0 ms vs 3.9 ms) per …`, or why there is no ratio. */
function compare(ours: number | undefined, theirs: number | undefined, format: (value: number) => string, per = ''): string {
  if (ours === undefined || theirs === undefined) return 'not measured: a server was too busy to say, or no copy arrived';
  // A heap that did not grow, or a latency too small to tell: a ratio would mean nothing.
  if (theirs <= 0) return `${format(ours)} vs ${format(theirs)}${per}`;
  return `${pc.bold(`${ratio(ours / theirs)}×`)} the bare chat (${format(ours)} vs ${format(theirs)})${per}`;
}

function ratio(value: number): string {
  return value < 10 ? twoDecimals.format(value) : count.format(value);
}

/** The bare chat's own troubles make its figures, and so the ratios, less than they seem. */
function comparisonWarnings({ drops, recorder, settled, sending }: LoadFigures): string[] {
  const lines: string[] = [];
  const warn = (text: string) => lines.push(`${pc.yellow('⚠')} ${text}`);
  const dropped = [...drops.values()].reduce((sum, times) => sum + times, 0);
  if (dropped > 0) warn(`${count.format(dropped)} clients of the bare chat lost their connection, so its figures are for fewer clients.`);
  if (!settled && recorder.missing > 0) {
    warn(`${count.format(recorder.missing)} copies from the bare chat had not arrived ${drainTimeoutMs / 1000} s after its last message was sent, so its latency leaves out the slowest ones.`);
  }
  if (sending.own.cpuBound) warn(`This tool kept a core busy itself while loading the bare chat, so its figures are partly the tool's.`);
  return lines;
}

const ms = (value: number) => `${oneDecimal.format(value)} ms`;
