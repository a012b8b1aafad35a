// `npm run doctor`: looks at everything a learner's machine must get right (Node.js, the ports,
// the browser, Redis for step 12, write access, WSL), all at once, and prints a summary to paste
// into a help request.
import pc from 'picocolors';
import type { Diagnosis } from '../doctor/diagnosis.ts';
import { diagnoseBrowser } from '../doctor/browser.ts';
import { diagnoseNodeVersion } from '../doctor/node-version.ts';
import { diagnosePlatform } from '../doctor/platform.ts';
import { diagnosePorts } from '../doctor/ports.ts';
import { diagnoseRedis } from '../doctor/redis.ts';
import { formatForHelpRequest, formatForLearner } from '../doctor/report.ts';
import { diagnoseWriteAccess } from '../doctor/write-access.ts';
import { UsageError } from '../errors/kit-error.ts';

/** A diagnosis that breaks must not hide the others: it becomes a warning of its own. */
async function settle(name: string, diagnose: () => Promise<Diagnosis | Diagnosis[]>): Promise<Diagnosis[]> {
  try {
    return [await diagnose()].flat();
  } catch (error) {
    return [{ name, status: 'warn', summary: `could not be checked: ${(error as Error).message}` }];
  }
}

export async function run(args: string[]): Promise<number> {
  if (args.length > 0) throw new UsageError(`\`npm run doctor\` takes no arguments, not "${args.join(' ')}": run it as it is.`);
  const diagnoses = (
    await Promise.all([
      settle('System', () => diagnosePlatform()),
      settle('Node.js', () => diagnoseNodeVersion()),
      settle('Ports', () => diagnosePorts()),
      settle('Browser', () => diagnoseBrowser()),
      settle('Redis', () => diagnoseRedis()),
      settle('Write access', () => diagnoseWriteAccess()),
    ])
  ).flat();
  console.log(formatForLearner(diagnoses));
  console.log(`\n${pc.bold('Paste this into your help request:')}\n`);
  console.log(formatForHelpRequest(diagnoses));
  return diagnoses.some((diagnosis) => diagnosis.status === 'fail') ? 1 : 0;
}
