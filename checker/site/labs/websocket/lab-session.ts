// One open lab page: its Server-Sent Events stream, and the WebSocket connections that report to
// it. The reports travel apart from the studied socket, which would otherwise report its own
// reports.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { MAX_WRITE_BACKLOG } from './constants.ts';
import type { WebSocketConnection } from './connection.ts';
import type { LabEvent } from './lab-events.ts';

export class LabSession {
  readonly id = randomBytes(16).toString('hex');
  readonly connections = new Set<WebSocketConnection>();
  readonly #response: ServerResponse;

  constructor(response: ServerResponse) {
    this.#response = response;
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
  }

  get ended(): boolean {
    return this.#response.writableEnded || this.#response.destroyed;
  }

  report(event: LabEvent): void {
    // A page that stopped reading loses reports rather than filling the server's memory.
    if (this.ended || this.#response.writableLength > MAX_WRITE_BACKLOG) return;
    this.#response.write(`data: ${JSON.stringify(event)}\n\n`);
  }

  /** Tells the page why, then ends the stream; the page does not reconnect. */
  end(reason: string): void {
    this.report({ type: 'session-ended', reason });
    this.#response.end();
  }
}
