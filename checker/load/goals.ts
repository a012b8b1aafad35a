// What the chat should hold up to on one machine (issue 6): printed next to each figure.
export const goals = {
  clients: 1000,
  /** p99 broadcast latency, in milliseconds… */
  p99LatencyMs: 100,
  /** …measured at this many messages per second in total. */
  atRate: 100,
  /** Server heap per connection, in bytes. */
  heapPerConnection: 15 * 1024,
} as const;
