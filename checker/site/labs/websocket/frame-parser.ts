// Reads frames (RFC 6455, section 5.2) from a byte stream as it arrives: a frame may come split
// across TCP chunks, and one chunk may hold several frames. Each header is checked as soon as it
// is read, so a frame too large is refused before any of its payload is kept.
import {
  FIN_BIT,
  isControlOpcode,
  LENGTH_16BIT_MARKER,
  LENGTH_64BIT_MARKER,
  LENGTH_BITS,
  MASK_BIT,
  MASKING_KEY_LENGTH,
  MAX_CONTROL_PAYLOAD,
  Opcode,
  OPCODE_BITS,
  opcodeNames,
  RSV1_BIT,
  RSV2_BIT,
  RSV3_BIT,
} from './constants.ts';
import { applyMask } from './masking.ts';
import { ProtocolError } from './protocol-error.ts';

export type LengthEncoding = '7-bit' | '16-bit' | '64-bit';

export interface Frame {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  payloadLength: number;
  /** Where the length was written: the 7 bits themselves, or 16 or 64 bits after them. */
  lengthEncoding: LengthEncoding;
  /** Every header byte: the first two, the extended length, the masking key. */
  header: Buffer;
  maskingKey?: Buffer;
  /** The payload as it travelled: masked when `masked`. */
  wirePayload: Buffer;
  /** The payload unmasked: the application data. */
  payload: Buffer;
}

export interface FrameParserOptions {
  /** Who sends these frames: a client must mask every frame, a server none (section 5.1). */
  from: 'client' | 'server';
  /** The largest payload of a frame, and of a message split across frames, in bytes. */
  maxPayload: number;
  onFrame(frame: Frame): void;
}

type Header = Pick<Frame, 'fin' | 'rsv1' | 'rsv2' | 'rsv3' | 'opcode' | 'masked' | 'payloadLength' | 'lengthEncoding'> & {
  bytes: Buffer[];
  maskingKey?: Buffer;
};

export class FrameParser {
  #chunks: Buffer[] = [];
  #buffered = 0;
  #state: 'start' | 'extended-length' | 'masking-key' | 'payload' | 'failed' = 'start';
  #header: Header | undefined;
  /** The opcode of the message whose frames are still arriving, if one is. */
  #messageOpcode: number | undefined;
  #messageLength = 0;

  constructor(private readonly options: FrameParserOptions) {}

  /** Feeds bytes in; calls onFrame for each frame they complete. Throws a ProtocolError at the first violation, after which the parser reads no more. */
  push(chunk: Buffer): void {
    if (this.#state === 'failed') return;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    try {
      while (this.#step());
    } catch (error) {
      this.#state = 'failed';
      this.#chunks = [];
      this.#buffered = 0;
      throw error;
    }
  }

  /** Advances by one part of a frame; false when more bytes are needed. */
  #step(): boolean {
    switch (this.#state) {
      case 'start':
        if (this.#buffered < 2) return false;
        this.#readStart(this.#take(2));
        return true;
      case 'extended-length': {
        const size = this.#header!.lengthEncoding === '16-bit' ? 2 : 8;
        if (this.#buffered < size) return false;
        this.#readExtendedLength(this.#take(size));
        return true;
      }
      case 'masking-key':
        if (this.#buffered < MASKING_KEY_LENGTH) return false;
        this.#header!.maskingKey = this.#take(MASKING_KEY_LENGTH);
        this.#header!.bytes.push(this.#header!.maskingKey);
        this.#state = 'payload';
        return true;
      case 'payload':
        if (this.#buffered < this.#header!.payloadLength) return false;
        this.#emit(this.#take(this.#header!.payloadLength));
        return true;
      case 'failed':
        return false;
    }
  }

  #readStart(bytes: Buffer): void {
    const [first, second] = [bytes[0]!, bytes[1]!];
    const sevenBitLength = second & LENGTH_BITS;
    const header: Header = {
      fin: (first & FIN_BIT) !== 0,
      rsv1: (first & RSV1_BIT) !== 0,
      rsv2: (first & RSV2_BIT) !== 0,
      rsv3: (first & RSV3_BIT) !== 0,
      opcode: first & OPCODE_BITS,
      masked: (second & MASK_BIT) !== 0,
      payloadLength: sevenBitLength,
      lengthEncoding: sevenBitLength === LENGTH_16BIT_MARKER ? '16-bit' : sevenBitLength === LENGTH_64BIT_MARKER ? '64-bit' : '7-bit',
      bytes: [bytes],
    };
    this.#header = header;
    if (header.rsv1 || header.rsv2 || header.rsv3) {
      throw new ProtocolError('WS_ERR_UNEXPECTED_RSV', 'An RSV bit is set, but no extension was negotiated that gives it a meaning.');
    }
    if (!(header.opcode in opcodeNames)) {
      throw new ProtocolError('WS_ERR_INVALID_OPCODE', `Opcode 0x${header.opcode.toString(16)} is reserved.`);
    }
    if (this.options.from === 'client' && !header.masked) {
      throw new ProtocolError('WS_ERR_EXPECTED_MASK', 'A frame from a client must be masked.');
    }
    if (this.options.from === 'server' && header.masked) {
      throw new ProtocolError('WS_ERR_UNEXPECTED_MASK', 'A frame from a server must not be masked.');
    }
    if (isControlOpcode(header.opcode)) {
      if (!header.fin) throw new ProtocolError('WS_ERR_EXPECTED_FIN', 'A control frame must not be fragmented.');
      if (sevenBitLength > MAX_CONTROL_PAYLOAD) {
        throw new ProtocolError('WS_ERR_CONTROL_PAYLOAD_TOO_LONG', 'A control frame carries at most 125 bytes.');
      }
    } else if (header.opcode === Opcode.continuation && this.#messageOpcode === undefined) {
      throw new ProtocolError('WS_ERR_UNEXPECTED_CONTINUATION', 'A continuation frame came with no message to continue.');
    } else if (header.opcode !== Opcode.continuation && this.#messageOpcode !== undefined) {
      throw new ProtocolError('WS_ERR_EXPECTED_CONTINUATION', 'A new message began before the last fragment of the previous one.');
    }
    if (header.lengthEncoding === '7-bit') this.#lengthKnown();
    else this.#state = 'extended-length';
  }

  #readExtendedLength(bytes: Buffer): void {
    const header = this.#header!;
    header.bytes.push(bytes);
    if (bytes.length === 2) {
      header.payloadLength = bytes.readUInt16BE(0);
    } else {
      const high = bytes.readUInt32BE(0);
      if (high & 0x8000_0000) {
        throw new ProtocolError('WS_ERR_INVALID_64BIT_LENGTH', 'The most significant bit of a 64-bit length must be 0.');
      }
      header.payloadLength = high * 2 ** 32 + bytes.readUInt32BE(4);
    }
    this.#lengthKnown();
  }

  #lengthKnown(): void {
    const header = this.#header!;
    if (!isControlOpcode(header.opcode) && this.#messageLength + header.payloadLength > this.options.maxPayload) {
      throw new ProtocolError(
        'WS_ERR_PAYLOAD_TOO_BIG',
        `A message may carry at most ${this.options.maxPayload} bytes; this one would carry ${this.#messageLength + header.payloadLength}.`,
      );
    }
    this.#state = header.masked ? 'masking-key' : 'payload';
  }

  #emit(wirePayload: Buffer): void {
    const { bytes, maskingKey, ...fields } = this.#header!;
    this.#header = undefined;
    this.#state = 'start';
    if (!isControlOpcode(fields.opcode)) {
      if (fields.fin) {
        this.#messageOpcode = undefined;
        this.#messageLength = 0;
      } else {
        if (fields.opcode !== Opcode.continuation) this.#messageOpcode = fields.opcode;
        this.#messageLength += fields.payloadLength;
      }
    }
    const payload = maskingKey ? applyMask(wirePayload, maskingKey) : wirePayload;
    this.options.onFrame({ ...fields, header: Buffer.concat(bytes), maskingKey, wirePayload, payload });
  }

  /** The next `size` buffered bytes, removed from the buffer. */
  #take(size: number): Buffer {
    this.#buffered -= size;
    const first = this.#chunks[0];
    if (first && first.length >= size) {
      const taken = first.subarray(0, size);
      if (first.length === size) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(size);
      return taken;
    }
    const taken = Buffer.allocUnsafe(size);
    let offset = 0;
    while (offset < size) {
      const chunk = this.#chunks[0]!;
      const part = Math.min(chunk.length, size - offset);
      chunk.copy(taken, offset, 0, part);
      offset += part;
      if (part === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(part);
    }
    return taken;
  }
}

/** Every frame in `bytes`, which must end on a frame boundary. */
export function parseFrames(bytes: Buffer, options: Omit<FrameParserOptions, 'onFrame'>): Frame[] {
  const frames: Frame[] = [];
  new FrameParser({ ...options, onFrame: (frame) => frames.push(frame) }).push(bytes);
  return frames;
}
