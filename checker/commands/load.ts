// `npm run load [-- --step N --solution --clients 1000 --rate 100 --duration 10 --processes 2]`:
// many real clients against a step's chat server, with the figures that say whether it holds up.
import pc from 'picocolors';
import { formatComparison } from '../load/load-comparison.ts';
import { formatSummary } from '../load/load-summary.ts';
import { loadUsage, readLoadOptions, type LoadOptions } from '../load/load-options.ts';
import { runLoad } from '../load/run-load.ts';

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(loadUsage);
    return 0;
  }
  const options = await readLoadOptions(args);
  console.log(pc.bold(describeRun(options)));
  console.log(pc.dim('WebSocket only: long-polling clients would measure HTTP requests instead. Stop it with Ctrl+C.'));
  const outcome = await runLoad(options, {
    onBaselineStart: () => console.log(`\n${pc.bold('Baseline')}: the same load on a bare Socket.IO chat (io.emit to everyone, nothing else), to compare with.`),
  });
  console.log('');
  if (outcome.kind === 'failed') {
    console.log(`${pc.red('✖')} ${outcome.lines.join('\n')}`);
    return 1;
  }
  console.log(formatSummary(outcome.figures).join('\n'));
  const { baseline } = outcome;
  if (baseline?.kind === 'measured') console.log(`\n${formatComparison(outcome.figures, baseline.figures).join('\n')}`);
  // The chat's figures stand on their own: a baseline that failed is told, and is no failure of the chat.
  if (baseline?.kind === 'failed') console.log(`\n${pc.yellow('⚠')} The bare chat, the baseline, could not be measured: ${baseline.lines.join(' ')}`);
  return 0;
}

function describeRun({ step, variant, clients, rate, durationSeconds, processes }: LoadOptions): string {
  const whose = variant === 'solution' ? 'the reference solution' : 'your files';
  const servers = processes === 1 ? '1 server process' : `${processes} server processes sharing a Redis server`;
  return `Load test of ${step.title} (${whose}): ${clients} clients on ${servers}, ${rate} messages/s in total for ${durationSeconds} s.`;
}
