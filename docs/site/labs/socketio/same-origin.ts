// Browsers send the page's Origin with every Socket.IO request, and CORS does not guard a
// WebSocket: refuse pages from other sites, so that none can join the lab in its reader's name.
import type { IncomingMessage } from 'node:http';

/** True for a request with no Origin (a program, not a page) or from a page of this very host. */
export function isSameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
