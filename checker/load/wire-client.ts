// A Socket.IO client of the smallest kind, for the load test: one WebSocket that speaks the
// Engine.IO v4 / Socket.IO v5 protocol itself, to the main namespace only. socket.io-client costs
// so much per message received (a stream, a WebSocket object, decoding each packet, an emitter
// per layer) that with 1,000 of them the tool kept a core busy before the server did; this one
// hands each event over as the frame's bytes, so that the caller reads only the id it needs.
//
// The server sees what a socket.io-client with `transports: ['websocket']` would do: the same
// handshake, `auth` in the CONNECT packet, every ping answered, acknowledgements, and a DISCONNECT
// packet before the connection closes.
import { WebSocketConnection } from './websocket-connection.ts';

/** Engine.IO packet types, as the first character of a frame. */
const engineOpen = '0';
const engineClose = '1';
const enginePing = '2';
const enginePong = '3';
const engineMessage = '4';
/** Socket.IO packet types, as the character after Engine.IO's `4`. */
const socketConnect = '0';
const socketDisconnect = '1';
const socketEvent = '2';
const socketAck = '3';
const socketConnectError = '4';

const messageByte = engineMessage.charCodeAt(0);
const eventByte = socketEvent.charCodeAt(0);

export interface WireClientEvents {
  /**
   * An event from the server, as the frame's bytes from `start` to `end`: `42["name",…]`, for the
   * caller to read as little of as it needs, at once: the bytes are valid only until this returns.
   */
  onEventFrame?(bytes: Buffer, start: number, end: number): void;
  /** The connection was lost after it was open (not by close()), with socket.io-client's name for why. */
  onDrop?(reason: string): void;
}

export interface WireClientOptions extends WireClientEvents {
  /** Sent with the CONNECT packet, as `io(url, { auth })` does. */
  auth?: Record<string, unknown>;
  timeoutMs: number;
}

/** A refusal or failure during the handshake, with the server's own sentence when it gave one. */
export class ConnectError extends Error {}

export class WireClient {
  connected = false;
  private nextAckId = 0;
  private readonly acks = new Map<number, (...args: unknown[]) => void>();
  private closedByUs = false;
  private pingTimer: NodeJS.Timeout | undefined;
  private pingDeadlineMs = 0;

  private constructor(
    private readonly ws: WebSocketConnection,
    private readonly events: WireClientEvents,
  ) {}

  /** Opens the connection and joins the main namespace; rejects with a ConnectError saying why not. */
  static connect(url: string, { auth, timeoutMs, ...events }: WireClientOptions): Promise<WireClient> {
    const address = new URL('/socket.io/', url);
    address.search = 'EIO=4&transport=websocket';
    return new Promise((resolve, reject) => {
      let client: WireClient | undefined;
      let failed = false;
      const timer = setTimeout(() => fail(new ConnectError(`no answer to the handshake within ${timeoutMs / 1000} s`)), timeoutMs);
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        clearTimeout(timer);
        client?.stop();
        client?.ws.terminate();
        reject(error);
      };
      // Until the namespace is joined, the frames are the handshake's.
      const onHandshakeFrame = (data: Buffer, start: number, end: number) => {
        const frame = data.toString('utf8', start, end);
        if (frame[0] === engineOpen) {
          client!.keepPingDeadline(frame.slice(1));
          client!.ws.send(`${engineMessage}${socketConnect}${auth ? JSON.stringify(auth) : ''}`);
        } else if (frame[0] === enginePing) {
          client!.answerPing();
        } else if (frame.startsWith(engineMessage + socketConnect)) {
          clearTimeout(timer);
          client!.connected = true;
          client!.listen();
          resolve(client!);
        } else if (frame.startsWith(engineMessage + socketConnectError)) {
          // `44{"message":"Choose a nickname first."}`: the server's refusal, as connect_error's message.
          fail(new ConnectError(readRefusal(frame.slice(2))));
        }
      };
      WebSocketConnection.open(
        address,
        {
          onOpen: (ws) => {
            client = new WireClient(ws, events);
            // Given up on already: this connection came too late.
            if (failed) ws.terminate();
          },
          onMessage: onHandshakeFrame,
          onClose: () => fail(new ConnectError('the server closed the connection during the handshake')),
        },
        timeoutMs,
      ).catch((error: Error) => fail(new ConnectError(error.message)));
    });
  }

  /** Sends `42<ack id>["name",…args]`; `onAnswer` gets the arguments of the server's acknowledgement. */
  emit(name: string, args: unknown[], onAnswer?: (...answer: unknown[]) => void): void {
    let ackId = '';
    if (onAnswer) {
      const id = this.nextAckId++;
      this.acks.set(id, onAnswer);
      ackId = String(id);
    }
    this.ws.send(`${engineMessage}${socketEvent}${ackId}${JSON.stringify([name, ...args])}`);
  }

  /** Leaves as socket.io-client's close() does: a DISCONNECT packet, then the WebSocket closes. */
  close(): void {
    if (this.closedByUs) return;
    this.closedByUs = true;
    this.stop();
    this.ws.send(`${engineMessage}${socketDisconnect}`);
    this.ws.close();
  }

  private listen(): void {
    this.ws.listen({
      onMessage: (data, start, end) => {
        // Chat messages are nearly every frame: handed over unread, before anything is decoded.
        if (data[start] === messageByte && data[start + 1] === eventByte) return this.events.onEventFrame?.(data, start, end);
        const frame = data.toString('utf8', start, end);
        if (frame === enginePing) return this.answerPing();
        if (frame.startsWith(engineMessage + socketAck)) return this.answerAck(frame.slice(2));
        if (frame.startsWith(engineMessage + socketDisconnect)) return this.drop('io server disconnect');
        if (frame[0] === engineClose) return this.drop('transport close');
      },
      onClose: (reason) => this.drop(reason),
    });
  }

  /** `43<id>[…args]`: the server's answer to the emit that carried this id. */
  private answerAck(packet: string): void {
    const bracket = packet.indexOf('[');
    const id = Number(packet.slice(0, bracket));
    const onAnswer = this.acks.get(id);
    if (!onAnswer) return;
    this.acks.delete(id);
    onAnswer(...(JSON.parse(packet.slice(bracket)) as unknown[]));
  }

  private answerPing(): void {
    this.ws.send(enginePong);
    this.pingTimer?.refresh();
  }

  /** As socket.io-client does: no ping from the server within pingInterval + pingTimeout, and the connection is taken as lost. */
  private keepPingDeadline(openPacket: string): void {
    const { pingInterval, pingTimeout } = JSON.parse(openPacket) as { pingInterval: number; pingTimeout: number };
    this.pingDeadlineMs = pingInterval + pingTimeout;
    this.pingTimer = setTimeout(() => this.drop('ping timeout'), this.pingDeadlineMs);
    // A lost connection is news to the load test, not a reason to keep the process alive.
    this.pingTimer.unref();
  }

  private drop(reason: string): void {
    if (!this.connected) return;
    this.connected = false;
    this.stop();
    this.ws.terminate();
    if (!this.closedByUs) this.events.onDrop?.(reason);
  }

  private stop(): void {
    this.connected = false;
    clearTimeout(this.pingTimer);
  }
}

function readRefusal(json: string): string {
  try {
    const { message } = JSON.parse(json) as { message?: unknown };
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: said as it came, below.
  }
  return `the server refused the connection (${json})`;
}
