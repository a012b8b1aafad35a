// A WebSocket client (RFC 6455) of the smallest kind, for the load test's thousand clients: text
// frames, read straight from the TCP socket into one buffer that all connections share. A copy
// costs a read and a few comparisons, where a full client (the `ws` package, or Node's own
// WebSocket) passes every frame through a stream, a parser object and events, which at 50,000
// copies a second kept most of a core busy in the tool rather than in the server it measures.
//
// What it leaves out, as the chat needs none of it: compression, binary messages, and the
// WebSocket's own ping (Engine.IO pings inside its messages). A server's close frame is answered.
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

const acceptGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const opcodeContinuation = 0x0;
const opcodeText = 0x1;
const opcodeClose = 0x8;
const opcodePing = 0x9;
const opcodePong = 0xa;
const finalFrame = 0x80;
const masked = 0x80;
const endOfHeaders = Buffer.from('\r\n\r\n');

/**
 * Where every connection's bytes are read into. Reads run one at a time, each to the end before
 * the next, so one buffer serves all: a frame handed over is valid only until its callback returns.
 */
const sharedReadBuffer = Buffer.allocUnsafe(256 * 1024);

export interface WebSocketEvents {
  /** The handshake is done: called before the first message, which may come in the same read. */
  onOpen?(connection: WebSocketConnection): void;
  /**
   * A text message: `bytes` from `start` to `end`, valid only until this returns (read it at once,
   * or copy it). Offsets rather than a slice: a Buffer made for each copy received costs more than the rest of it.
   */
  onMessage(bytes: Buffer, start: number, end: number): void;
  /** The connection is gone, for whatever reason but close() or terminate(). Called at most once. */
  onClose(reason: string): void;
}

export class WebSocketConnection {
  /** Bytes of a frame that has not fully arrived yet, copied out of the shared buffer. */
  private pending: Buffer | undefined;
  /** The parts so far of a message sent in several frames. */
  private fragments: Buffer[] | undefined;
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    private events: WebSocketEvents,
  ) {}

  /** Opens a WebSocket to `url` (ws://host:port/path?query); rejects with a sentence saying why not. */
  static open(url: URL, events: WebSocketEvents, timeoutMs: number): Promise<WebSocketConnection> {
    const key = randomBytes(16).toString('base64');
    const accept = createHash('sha1').update(key + acceptGuid).digest('base64');
    return new Promise((resolve, reject) => {
      let handshake: Buffer | undefined = Buffer.alloc(0);
      let connection: WebSocketConnection | undefined;
      const fail = (sentence: string) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(sentence));
      };
      const timer = setTimeout(() => fail(`no answer to the handshake within ${timeoutMs / 1000} s`), timeoutMs);
      const socket = connect({
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: Number(url.port),
        noDelay: true,
        onread: {
          buffer: sharedReadBuffer,
          callback: (length) => {
            if (connection) return connection.read(sharedReadBuffer, length);
            // The server's answer to the upgrade request, then (maybe in the same read) the first frames.
            handshake = Buffer.concat([handshake!, sharedReadBuffer.subarray(0, length)]);
            const end = handshake.indexOf(endOfHeaders);
            if (end === -1) return true;
            const head = handshake.toString('latin1', 0, end);
            const rest = handshake.subarray(end + endOfHeaders.length);
            handshake = undefined;
            if (!/^HTTP\/1\.1 101 /.test(head)) return fail(`the server answered ${head.split('\r\n')[0]} instead of switching to WebSocket`), false;
            const answered = /^sec-websocket-accept:(.*)$/im.exec(head)?.[1]?.trim();
            if (answered !== accept) return fail('the server answered the WebSocket handshake wrongly'), false;
            clearTimeout(timer);
            connection = new WebSocketConnection(socket, events);
            socket.off('error', onError).off('close', onClose);
            socket.on('error', () => connection!.gone('transport error'));
            socket.on('close', () => connection!.gone('transport close'));
            events.onOpen?.(connection);
            resolve(connection);
            return rest.length === 0 || connection.read(rest, rest.length);
          },
        },
      });
      const onError = (error: Error) => fail(error.message);
      const onClose = () => fail('the server closed the connection during the handshake');
      socket.on('error', onError).on('close', onClose);
      socket.on('connect', () => {
        socket.write(
          `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
      });
    });
  }

  /** Replaces the listeners, e.g. those of a handshake inside the WebSocket's messages once it is done. */
  listen(events: WebSocketEvents): void {
    this.events = events;
  }

  get open(): boolean {
    return !this.closed;
  }

  send(text: string): void {
    if (!this.closed) this.socket.write(frame(opcodeText, Buffer.from(text)));
  }

  /** A close frame, then the end of the connection: no onClose follows. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.end(frame(opcodeClose, Buffer.from([0x03, 0xe8])));
  }

  /** Ends the connection at once: no onClose follows. */
  terminate(): void {
    this.closed = true;
    this.socket.destroy();
  }

  /** Reads every whole frame in the first `length` bytes of `buffer`, keeping a part frame for the next read. Returns true: go on reading. */
  private read(buffer: Buffer, length: number): boolean {
    let data = buffer;
    let dataEnd = length;
    if (this.pending) {
      data = Buffer.concat([this.pending, buffer.subarray(0, length)]);
      dataEnd = data.length;
      this.pending = undefined;
    }
    let offset = 0;
    while (offset < dataEnd && !this.closed) {
      // The frame's header: 2 bytes, then 2 or 8 more for a long payload, then a mask, which a server never sends.
      if (dataEnd - offset < 2) break;
      const first = data[offset]!;
      const second = data[offset + 1]!;
      let size = second & 0x7f;
      let start = offset + 2;
      if (size === 126) {
        if (dataEnd < start + 2) break;
        size = data.readUInt16BE(start);
        start += 2;
      } else if (size === 127) {
        if (dataEnd < start + 8) break;
        size = Number(data.readBigUInt64BE(start));
        start += 8;
      }
      if (second & masked) start += 4;
      const end = start + size;
      if (end > dataEnd) break;
      this.handleFrame(first & 0x0f, (first & finalFrame) !== 0, data, start, end);
      offset = end;
    }
    // The shared buffer is read into again next time: what must wait is copied out.
    if (offset < dataEnd && !this.closed) this.pending = Buffer.from(data.subarray(offset, dataEnd));
    return true;
  }

  private handleFrame(opcode: number, final: boolean, data: Buffer, start: number, end: number): void {
    if (opcode === opcodeText && final) return this.events.onMessage(data, start, end);
    if (opcode === opcodeText || opcode === opcodeContinuation) {
      // A message in several frames: its parts must outlive this read.
      (this.fragments ??= []).push(Buffer.from(data.subarray(start, end)));
      if (!final) return;
      const message = Buffer.concat(this.fragments);
      this.fragments = undefined;
      return this.events.onMessage(message, 0, message.length);
    }
    if (opcode === opcodePing) return void this.socket.write(frame(opcodePong, Buffer.from(data.subarray(start, end))));
    if (opcode === opcodeClose) {
      this.close();
      return this.events.onClose('transport close');
    }
  }

  private gone(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.events.onClose(reason);
  }
}

/** A client frame: masked, as the protocol requires of every frame a client sends. */
function frame(opcode: number, payload: Buffer): Buffer {
  const lengthBytes = payload.length < 126 ? 0 : payload.length < 0x10000 ? 2 : 8;
  const out = Buffer.allocUnsafe(2 + lengthBytes + 4 + payload.length);
  out[0] = finalFrame | opcode;
  if (lengthBytes === 0) out[1] = masked | payload.length;
  else if (lengthBytes === 2) {
    out[1] = masked | 126;
    out.writeUInt16BE(payload.length, 2);
  } else {
    out[1] = masked | 127;
    out.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  const maskAt = 2 + lengthBytes;
  randomBytes(4).copy(out, maskAt);
  for (let index = 0; index < payload.length; index += 1) out[maskAt + 4 + index] = payload[index]! ^ out[maskAt + (index & 3)]!;
  return out;
}
