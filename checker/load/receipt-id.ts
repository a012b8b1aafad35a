// Which message a chat message frame carries, read from its bytes: a receipt needs only the id to
// find when the message was sent, and decoding the whole packet for it would cost more than the
// rest of the receipt together, a thousand times per message. The bytes are scanned by hand,
// within the frame's bounds: they sit in a buffer shared by all connections, past which lie the
// leftovers of earlier reads.
import { BroadcastRecorder, type ReceivedMessage } from './broadcast-recorder.ts';

const chatMessagePrefix = Buffer.from('42["chat message",');
/** Unescaped quotes can only be JSON's own: this is a key named id, never text inside a string. */
const idKey = Buffer.from('"id":"');
/** Before step 10 the server passes on the text alone, which carries the id after this. */
const textMark = Buffer.from(BroadcastRecorder.textFor(''));
/** The tool's ids are crypto.randomUUID()'s. */
const idLength = 36;
const quote = '"'.charCodeAt(0);

/**
 * The id of the message in a `42["chat message",…]` frame (`bytes` from `start` to `end`); null
 * for another event, which is not a receipt. A frame with no id where the tool puts one is decoded
 * after all, and read as before.
 */
export function readReceiptId(bytes: Buffer, start = 0, end = bytes.length): string | null {
  if (!matchesAt(bytes, chatMessagePrefix, start, end)) return null;
  const payload = start + chatMessagePrefix.length;
  const id = idAfter(bytes, idKey, payload, end) ?? idAfter(bytes, textMark, payload, end);
  return id ?? BroadcastRecorder.idOf(decodeMessage(bytes, start, end));
}

/** The 36 characters after the first `mark` found from `from` on, if a quote ends them. */
function idAfter(bytes: Buffer, mark: Buffer, from: number, end: number): string | undefined {
  for (let at = from; at + mark.length + idLength < end; at += 1) {
    if (!matchesAt(bytes, mark, at, end)) continue;
    const idStart = at + mark.length;
    return bytes[idStart + idLength] === quote ? bytes.toString('latin1', idStart, idStart + idLength) : undefined;
  }
  return undefined;
}

function matchesAt(bytes: Buffer, pattern: Buffer, at: number, end: number): boolean {
  if (at + pattern.length > end) return false;
  for (let index = 0; index < pattern.length; index += 1) if (bytes[at + index] !== pattern[index]) return false;
  return true;
}

function decodeMessage(bytes: Buffer, start: number, end: number): ReceivedMessage | undefined {
  try {
    const [, message] = JSON.parse(bytes.toString('utf8', start + 2, end)) as [string, ReceivedMessage?];
    return message;
  } catch {
    return undefined;
  }
}
