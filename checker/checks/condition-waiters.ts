// Waiting for a condition without polling on a timer: whoever changes the state calls wake(),
// and every pending wait re-tests its condition then.
import { runTimeDeadline } from '../processes/run-time-deadline.ts';
import { answeringProcesses } from './answering-processes.ts';
export class ConditionWaiters {
  private readonly pending = new Set<() => void>();

  wake(): void {
    // Called for every copy a load test receives: nothing to copy when nobody waits.
    if (this.pending.size === 0) return;
    for (const test of [...this.pending]) test();
  }

  /** Resolves true as soon as `condition` holds; false if it still does not after `timeoutMs`. */
  waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const test = () => {
        if (condition()) finish(true);
      };
      // In the time the learner's processes could run: a busy machine makes the answer later, not wrong.
      // At the deadline, what has already arrived is read first: a thread kept from the CPU for a
      // while finds its timer due and the awaited event waiting at once, and Node.js runs due
      // timers before it reads the network. setImmediate comes after that reading.
      const cancelDeadline = runTimeDeadline(answeringProcesses, timeoutMs, () => setImmediate(() => finish(condition())));
      const finish = (result: boolean) => {
        cancelDeadline();
        this.pending.delete(test);
        resolve(result);
      };
      this.pending.add(test);
      test();
    });
  }
}
