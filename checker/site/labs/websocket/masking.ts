// Masking (RFC 6455, section 5.3): byte i of the payload XOR byte i mod 4 of the masking key.
// The same operation masks and unmasks.
import { randomBytes } from 'node:crypto';
import { MASKING_KEY_LENGTH } from './constants.ts';

/** A new buffer: `payload` masked (or unmasked) with `maskingKey`. */
export function applyMask(payload: Uint8Array, maskingKey: Uint8Array): Buffer {
  const result = Buffer.allocUnsafe(payload.length);
  for (let i = 0; i < payload.length; i++) result[i] = payload[i]! ^ maskingKey[i % MASKING_KEY_LENGTH]!;
  return result;
}

/** A fresh key for each frame, from a strong source, as section 5.3 requires of clients. */
export function createMaskingKey(): Buffer {
  return randomBytes(MASKING_KEY_LENGTH);
}
