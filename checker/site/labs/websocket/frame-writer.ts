// Writes frames (RFC 6455, section 5.2): the header with the shortest length encoding that fits,
// the masking key when there is one, then the payload, masked with it.
import {
  FIN_BIT,
  LENGTH_16BIT_MARKER,
  LENGTH_64BIT_MARKER,
  MASK_BIT,
  MAX_16BIT_LENGTH,
  MAX_7BIT_LENGTH,
  RSV1_BIT,
  RSV2_BIT,
  RSV3_BIT,
} from './constants.ts';
import { applyMask } from './masking.ts';

export interface FrameToWrite {
  opcode: number;
  payload?: Uint8Array;
  /** False on every fragment of a message but the last. */
  fin?: boolean;
  rsv1?: boolean;
  rsv2?: boolean;
  rsv3?: boolean;
  /** Present on frames from a client: 4 bytes. */
  maskingKey?: Uint8Array;
}

export function encodeFrame({ opcode, payload = Buffer.alloc(0), fin = true, rsv1, rsv2, rsv3, maskingKey }: FrameToWrite): Buffer {
  const length = payload.length;
  const extendedLength = length <= MAX_7BIT_LENGTH ? 0 : length <= MAX_16BIT_LENGTH ? 2 : 8;
  const header = Buffer.alloc(2 + extendedLength + (maskingKey ? maskingKey.length : 0));
  header[0] = (fin ? FIN_BIT : 0) | (rsv1 ? RSV1_BIT : 0) | (rsv2 ? RSV2_BIT : 0) | (rsv3 ? RSV3_BIT : 0) | opcode;
  const sevenBitLength = extendedLength === 0 ? length : extendedLength === 2 ? LENGTH_16BIT_MARKER : LENGTH_64BIT_MARKER;
  header[1] = (maskingKey ? MASK_BIT : 0) | sevenBitLength;
  if (extendedLength === 2) header.writeUInt16BE(length, 2);
  if (extendedLength === 8) {
    header.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    header.writeUInt32BE(length % 2 ** 32, 6);
  }
  if (!maskingKey) return Buffer.concat([header, payload]);
  header.set(maskingKey, 2 + extendedLength);
  return Buffer.concat([header, applyMask(payload, maskingKey)]);
}

/** The payload of a close frame: the code in 2 bytes, then the reason in UTF-8 (section 5.5.1). */
export function encodeClosePayload(code: number, reason = ''): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2, 'utf8');
  return payload;
}
