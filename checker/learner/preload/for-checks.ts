// Preloaded into the learner's process by the checker: every server listens on a free port
// chosen by the system (port 0) instead of the one in the code, so a check never needs port
// 3000 and never collides with `npm run step` left running; the real port and address are
// reported to the checker over the IPC channel.
import { interceptListen, listeningPort } from './intercept-listen.ts';

export interface ListeningMessage {
  type: 'listening';
  port: number;
  address: string;
}

// The IPC channel must not keep the learner's process alive: code that never listens
// should end by itself, as it would without the checker.
process.channel?.unref();

interceptListen({
  rewrite(args) {
    const [first, ...rest] = args;
    if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) return [0, ...rest];
    if (first && typeof first === 'object' && 'port' in first) return [{ ...first, port: 0 }, ...rest];
    return args;
  },
  onListening(server) {
    const port = listeningPort(server);
    const address = server.address();
    if (port === undefined || typeof address !== 'object' || address === null) return;
    const message: ListeningMessage = { type: 'listening', port, address: address.address };
    process.send?.(message);
  },
});
