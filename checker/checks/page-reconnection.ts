// A page's Socket.IO client waits 0.5 to 1.5 s before it tries to reconnect after a drop, then
// longer each time: real time a check spends waiting for nothing once the network is back.
import type { ChatPage } from '../browser/chat-page.ts';

/**
 * If the page calls its socket `socket`, as the lessons' pages do: its client tries again every
 * 50 to 100 ms after a drop. Only the delay changes: a page that does not reconnect still does not.
 */
export function retryAtOnce(page: ChatPage): Promise<void> {
  return page.engine.evaluate(`(() => {
    if (typeof socket !== 'object' || !socket?.io) return;
    socket.io.reconnectionDelay(50);
    socket.io.reconnectionDelayMax(100);
    socket.io.randomizationFactor(0);
  })()`);
}
