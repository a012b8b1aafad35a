// Keeps the score of the chat traffic: each message sent, its acknowledgement, and every copy
// the other clients receive, with the time from the emit to each receipt. All clients live in
// this one process, so sending and receiving are timed on the same clock.
import { createHistogram } from 'node:perf_hooks';
import { ConditionWaiters } from '../checks/condition-waiters.ts';

/** What the server passes on: `id` from step 10 on; before, the text alone tells messages apart. */
export interface ReceivedMessage {
  id?: unknown;
  text?: unknown;
}

interface SentMessage {
  sentAt: number;
  /** How many copies should arrive: one per other client connected when it was sent. */
  expected: number;
  received: number;
}

export class BroadcastRecorder {
  /** Broadcast latency, in microseconds (the histogram takes whole numbers). */
  readonly latency = createHistogram();
  sent = 0;
  accepted = 0;
  /** Refusals by the server's reason, e.g. the rate limit. */
  readonly refusals = new Map<string, number>();
  delivered = 0;
  /** Copies beyond one per other client, or of a message this tool never sent. */
  unexpected = 0;
  firstSentAt: number | undefined;
  lastDeliveredAt: number | undefined;
  private expected = 0;
  /** Messages sent without asking for an acknowledgement. */
  private unanswerable = 0;
  private stopped = false;
  private readonly messages = new Map<string, SentMessage>();
  private readonly waiters = new ConditionWaiters();

  /** A unique text that carries the id, for servers that pass on the text but not the id. */
  static textFor(id: string): string {
    return `load test ${id}`;
  }

  /** Which message a copy is of: its id, or failing that the one its text carries. */
  static idOf(message: ReceivedMessage | undefined): string {
    return typeof message?.id === 'string' ? message.id : String(message?.text ?? '').replace(BroadcastRecorder.textFor(''), '');
  }

  /** `awaitsAnswer` false: sent without an acknowledgement (the bare chat answers none), so counted as answered. */
  recordSend(id: string, expected: number, awaitsAnswer = true): void {
    const sentAt = performance.now();
    this.firstSentAt ??= sentAt;
    this.sent += 1;
    if (!awaitsAnswer) this.unanswerable += 1;
    this.expected += expected;
    this.messages.set(id, { sentAt, expected, received: 0 });
  }

  recordAnswer(id: string, answer: unknown): void {
    if (this.stopped) return;
    const { ok, error } = (answer ?? {}) as { ok?: unknown; error?: unknown };
    if (ok === true) {
      this.accepted += 1;
    } else {
      const reason = typeof error === 'string' ? error : `an answer without ok: true (${JSON.stringify(answer)})`;
      this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
      // A refused message is passed on to nobody.
      this.expected -= this.messages.get(id)?.expected ?? 0;
    }
    this.waiters.wake();
  }

  /** A copy of the message `id` arrived at one client. */
  recordReceiptOf(id: string): void {
    if (this.stopped) return;
    const now = performance.now();
    const sent = this.messages.get(id);
    if (!sent || sent.received >= sent.expected) {
      this.unexpected += 1;
      return;
    }
    sent.received += 1;
    this.delivered += 1;
    this.lastDeliveredAt = now;
    this.latency.record(Math.max(1, Math.round((now - sent.sentAt) * 1000)));
    this.waiters.wake();
  }

  get answered(): number {
    return this.unanswerable + this.accepted + [...this.refusals.values()].reduce((sum, count) => sum + count, 0);
  }

  /** Copies still to come, of the messages the server accepted or has not answered yet. */
  get missing(): number {
    return this.expected - this.delivered;
  }

  /** Resolves true once every message is answered and every copy arrived; false after `timeoutMs` or on abort. */
  settled(timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    const onAbort = () => this.waiters.wake();
    signal.addEventListener('abort', onAbort);
    return this.waiters
      .waitUntil(() => signal.aborted || (this.answered === this.sent && this.missing <= 0), timeoutMs)
      .then((done) => {
        signal.removeEventListener('abort', onAbort);
        return done && !signal.aborted;
      });
  }

  /** Freezes the figures: whatever arrives later is not counted, so that the summary holds together. */
  stop(): void {
    this.stopped = true;
  }

  /** A latency percentile in milliseconds, or undefined before the first receipt. */
  latencyMs(percentile: number): number | undefined {
    return this.latency.count === 0 ? undefined : this.latency.percentile(percentile) / 1000;
  }
}
