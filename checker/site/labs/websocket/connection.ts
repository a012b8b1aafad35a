// One WebSocket connection, server side, after the 101 answer: frames in and out, messages put
// together from their fragments, pings answered, the closing handshake, and a connection failed
// with the right close code on any protocol violation (RFC 6455, sections 5 to 7).
import { isUtf8 } from 'node:buffer';
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { CloseCode, isValidCloseCode, MAX_CONTROL_PAYLOAD, MAX_WRITE_BACKLOG, Opcode } from './constants.ts';
import { FrameParser, parseFrames, type Frame } from './frame-parser.ts';
import { encodeClosePayload, encodeFrame } from './frame-writer.ts';
import { ProtocolError } from './protocol-error.ts';

export type MessageType = 'text' | 'binary';

export interface ClosedConnection {
  /** The code of the client's close frame; 1005 when it had none, 1006 when there was no close frame. */
  code: number;
  reason: string;
  /** Who sent the first close frame, if anyone did. */
  initiatedBy: 'client' | 'server' | undefined;
  /** Both close frames were exchanged before TCP ended. */
  clean: boolean;
}

export interface ConnectionEvents {
  'frame-received': [frame: Frame];
  /** Each frame written, read back from the bytes that went out. */
  'frame-sent': [frame: Frame];
  message: [type: MessageType, data: Buffer, frameCount: number];
  'protocol-error': [error: ProtocolError];
  close: [closed: ClosedConnection];
}

export interface ConnectionOptions {
  maxPayload: number;
  idleTimeoutMs: number;
  closeTimeoutMs: number;
}

/** At most `maxBytes` of `text` in UTF-8, never cutting a character in two. */
function truncateUtf8(text: string, maxBytes: number): string {
  let result = text;
  while (Buffer.byteLength(result) > maxBytes) result = [...result].slice(0, -1).join('');
  return result;
}

/** A close frame's reason may fill what its code leaves of the 125 bytes. */
const MAX_CLOSE_REASON = MAX_CONTROL_PAYLOAD - 2;

export class WebSocketConnection extends EventEmitter<ConnectionEvents> {
  state: 'open' | 'closing' | 'closed' = 'open';
  readonly #socket: Duplex;
  readonly #options: ConnectionOptions;
  readonly #parser: FrameParser;
  #fragments: Buffer[] = [];
  #messageType: MessageType | undefined;
  #sentClose: { code: number } | undefined;
  #receivedClose: { code: number; reason: string } | undefined;
  #initiatedBy: 'client' | 'server' | undefined;
  #idleTimer: NodeJS.Timeout;
  #closeTimer: NodeJS.Timeout | undefined;

  constructor(socket: Duplex, head: Buffer, options: ConnectionOptions) {
    super();
    this.#socket = socket;
    this.#options = options;
    this.#parser = new FrameParser({ from: 'client', maxPayload: options.maxPayload, onFrame: (frame) => this.#onFrame(frame) });
    this.#idleTimer = setTimeout(() => this.close(CloseCode.goingAway, 'No frame from you for a while: closing.'), options.idleTimeoutMs);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#socket.end());
    // An error (a reset by the peer) is always followed by 'close', which ends the connection.
    socket.on('error', () => {});
    socket.on('close', () => this.#onSocketClose());
    socket.on('drain', () => socket.resume());
    if (head.length > 0) queueMicrotask(() => this.#onData(head));
  }

  /** Sends a whole message in one frame. */
  send(type: MessageType, data: Buffer): void {
    if (this.state !== 'open') return;
    this.#write({ opcode: type === 'text' ? Opcode.text : Opcode.binary, payload: data });
  }

  ping(payload: Buffer): void {
    if (this.state !== 'open') return;
    this.#write({ opcode: Opcode.ping, payload: payload.subarray(0, MAX_CONTROL_PAYLOAD) });
  }

  /** Starts the closing handshake; the socket is dropped if the client does not answer in time. */
  close(code: number, reason = ''): void {
    if (this.#sentClose || this.state === 'closed') return;
    this.#initiatedBy ??= 'server';
    this.#sendClose(code, reason);
    this.#closeTimer = setTimeout(() => this.#socket.destroy(), this.#options.closeTimeoutMs);
  }

  #onData(chunk: Buffer): void {
    if (this.state === 'closed' || this.#receivedClose) return;
    this.#idleTimer.refresh();
    try {
      this.#parser.push(chunk);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.emit('protocol-error', error);
      this.#fail(error.closeCode, error.message);
    }
  }

  #onFrame(frame: Frame): void {
    if (this.#receivedClose) return;
    this.emit('frame-received', frame);
    switch (frame.opcode) {
      case Opcode.ping:
        if (!this.#sentClose) this.#write({ opcode: Opcode.pong, payload: frame.payload });
        return;
      case Opcode.pong:
        return;
      case Opcode.close:
        this.#onCloseFrame(frame.payload);
        return;
      default:
        this.#onDataFrame(frame);
    }
  }

  #onDataFrame(frame: Frame): void {
    if (frame.opcode !== Opcode.continuation) this.#messageType = frame.opcode === Opcode.text ? 'text' : 'binary';
    this.#fragments.push(frame.payload);
    if (!frame.fin) return;
    const data = Buffer.concat(this.#fragments);
    const frameCount = this.#fragments.length;
    const type = this.#messageType!;
    this.#fragments = [];
    this.#messageType = undefined;
    if (type === 'text' && !isUtf8(data)) throw new ProtocolError('WS_ERR_INVALID_UTF8', 'A text message must be valid UTF-8.');
    // After its own close frame, an endpoint may ignore the data it still receives (section 1.4).
    if (!this.#sentClose) this.emit('message', type, data, frameCount);
  }

  #onCloseFrame(payload: Buffer): void {
    let code: number = CloseCode.noStatus;
    let reason = '';
    if (payload.length === 1) throw new ProtocolError('WS_ERR_INVALID_CLOSE_PAYLOAD', 'A close frame’s code takes 2 bytes: 1 byte is not a code.');
    if (payload.length >= 2) {
      code = payload.readUInt16BE(0);
      if (!isValidCloseCode(code)) throw new ProtocolError('WS_ERR_INVALID_CLOSE_CODE', `${code} is not a close code that may be sent.`);
      const reasonBytes = payload.subarray(2);
      if (!isUtf8(reasonBytes)) throw new ProtocolError('WS_ERR_INVALID_UTF8', 'A close reason must be valid UTF-8.');
      reason = reasonBytes.toString('utf8');
    }
    this.#receivedClose = { code, reason };
    this.#initiatedBy ??= 'client';
    // Echo the client's code, as most servers do; with no code received, answer with none.
    if (!this.#sentClose) this.#sendClose(code === CloseCode.noStatus ? undefined : code, reason);
    // Both close frames are exchanged: the server ends TCP first (section 7.1.1).
    this.#socket.end();
    this.#closeTimer ??= setTimeout(() => this.#socket.destroy(), this.#options.closeTimeoutMs);
  }

  /** _Fail the WebSocket Connection_ (section 7.1.7): a close frame, then the end of TCP. */
  #fail(code: number, reason: string): void {
    if (!this.#sentClose) {
      this.#initiatedBy ??= 'server';
      this.#sendClose(code, reason);
    }
    this.#socket.end();
    this.#closeTimer ??= setTimeout(() => this.#socket.destroy(), this.#options.closeTimeoutMs);
  }

  #sendClose(code: number | undefined, reason: string): void {
    this.#sentClose = { code: code ?? CloseCode.noStatus };
    this.state = 'closing';
    const payload = code === undefined ? Buffer.alloc(0) : encodeClosePayload(code, truncateUtf8(reason, MAX_CLOSE_REASON));
    this.#write({ opcode: Opcode.close, payload }, true);
  }

  #write(frame: { opcode: number; payload: Buffer }, evenWhenClosing = false): void {
    if (this.#socket.destroyed || !this.#socket.writable || (this.state !== 'open' && !evenWhenClosing)) return;
    const bytes = encodeFrame(frame);
    // A client that never reads its echoes must not fill the server's memory: stop reading until it does.
    if (!this.#socket.write(bytes) && this.#socket.writableLength > MAX_WRITE_BACKLOG) this.#socket.pause();
    for (const sent of parseFrames(bytes, { from: 'server', maxPayload: Number.MAX_SAFE_INTEGER })) this.emit('frame-sent', sent);
  }

  #onSocketClose(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#closeTimer);
    this.emit('close', {
      code: this.#receivedClose?.code ?? CloseCode.abnormal,
      reason: this.#receivedClose?.reason ?? '',
      initiatedBy: this.#initiatedBy,
      clean: Boolean(this.#receivedClose && this.#sentClose),
    });
  }
}
