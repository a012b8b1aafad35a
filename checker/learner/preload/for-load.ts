// Preloaded into each server process by `npm run load` (started with --expose-gc): answers the
// load tool's questions about the process over the IPC channel, so that the server's heap and CPU
// time are measured from inside it, without the learner writing anything for it.

export interface UsageRequest {
  type: 'usage';
  /** Collect garbage first, for a heap figure of live objects only. */
  collectGarbage: boolean;
}

export interface UsageMessage {
  type: 'usage';
  /** The heap in use, in bytes; after a full garbage collection, what live objects really hold. */
  heapUsed: number;
  /** CPU time the process has used so far (user + system), in microseconds. */
  cpuMicros: number;
}

process.on('message', (message: UsageRequest) => {
  if (message?.type !== 'usage') return;
  const { user, system } = process.cpuUsage();
  if (message.collectGarbage) {
    // Twice: objects freed by the first collection's finalizers go in the second.
    globalThis.gc?.();
    globalThis.gc?.();
  }
  const reply: UsageMessage = { type: 'usage', heapUsed: process.memoryUsage().heapUsed, cpuMicros: user + system };
  process.send?.(reply);
});
