// Whether the page's Socket.IO connection has settled on a WebSocket. A page closed while its
// connection is still upgrading from HTTP long-polling leaves the server unaware that it left
// until the ping timeout (45 s by default), so engines wait for this before closing a page.
import { ConditionWaiters } from '../checks/condition-waiters.ts';

export class UpgradeWatch {
  private started = false;
  private settled = false;
  private readonly waiters = new ConditionWaiters();

  /** A request to /socket.io/?EIO=… went out: the page is connecting. */
  noteRequest(url: string): void {
    if (/\/socket\.io\/\?EIO=/.test(url)) this.started = true;
  }

  /** "5" (UPGRADE) sent on a WebSocket: the connection moved from polling to it. */
  noteSent(payload: unknown): void {
    if (payload === '5') this.settle();
  }

  /** "40…" (CONNECT) received on a WebSocket: a WebSocket-only client is connected. */
  noteReceived(payload: unknown): void {
    if (typeof payload === 'string' && payload.startsWith('40')) this.settle();
  }

  /** Resolves once settled, at once if the page never connected, or after `timeoutMs`. */
  async waitUntilSettled(timeoutMs: number): Promise<void> {
    await this.waiters.waitUntil(() => !this.started || this.settled, timeoutMs);
  }

  private settle(): void {
    this.settled = true;
    this.waiters.wake();
  }
}
