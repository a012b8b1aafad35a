// Whether the load tool itself kept up: its clients share the machine's cores with the server,
// and a receipt handled late by a busy event loop adds to the latency measured.
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Above these, the tool's own delays are a real part of the latency it reports. */
const busyLoopDelayMs = 20;
const busyCpuShare = 0.9;
const resolutionMs = 10;

export interface OwnUsage {
  loopDelayP99Ms: number;
  /** CPU time over wall time: 1 is one core kept fully busy. */
  cpuShare: number;
  /** Whether it kept a core fully busy. */
  cpuBound: boolean;
  /** Whether this process, rather than the server, may have been the bottleneck: its CPU, or late callbacks. */
  busy: boolean;
}

export interface OwnUsageWatch {
  /** The figures so far. */
  read(): OwnUsage;
  stop(): OwnUsage;
}

export function watchOwnUsage(): OwnUsageWatch {
  const delay = monitorEventLoopDelay({ resolution: resolutionMs });
  delay.enable();
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const read = (): OwnUsage => {
    const { user, system } = process.cpuUsage(cpuStart);
    const cpuShare = (user + system) / 1000 / Math.max(1, performance.now() - started);
    // In nanoseconds, from one sample to the next: what exceeds the sampling interval is the delay.
    const loopDelayP99Ms = delay.count === 0 ? 0 : Math.max(0, delay.percentile(99) / 1e6 - resolutionMs);
    const cpuBound = cpuShare >= busyCpuShare;
    return { loopDelayP99Ms, cpuShare, cpuBound, busy: cpuBound || loopDelayP99Ms > busyLoopDelayMs };
  };
  return {
    read,
    stop() {
      const usage = read();
      delay.disable();
      return usage;
    },
  };
}
