// The live labs, attached to the site's own HTTP server: each one answers its WebSocket or
// Socket.IO connections on its own path and leaves every other request to the site.
import type { Server } from 'node:http';
import { attachSocketIoLab } from './socketio/lab-server.ts';
import { attachWebSocketLab } from './websocket/lab-server.ts';

export interface Lab {
  /** Closes the lab's connections, so that the server can stop. */
  close(): Promise<void>;
}

const labs: Array<(server: Server) => Lab> = [attachSocketIoLab, attachWebSocketLab];

export function attachLabs(server: Server): Lab {
  const attached = labs.map((attach) => attach(server));
  return { close: async () => void (await Promise.all(attached.map((lab) => lab.close()))) };
}
