// A chat message as it arrives is whatever the client sent: check it before anyone sees it.
import { MAX_MESSAGE_LENGTH } from './limits.ts';

export type Validated = { ok: true; text: string } | { ok: false; error: string };

export function validateChatMessage(value: unknown): Validated {
  if (typeof value !== 'string') return { ok: false, error: 'A chat message must be a string.' };
  if (value.trim() === '') return { ok: false, error: 'A chat message cannot be empty.' };
  if (value.length > MAX_MESSAGE_LENGTH) {
    return { ok: false, error: `A chat message has at most ${MAX_MESSAGE_LENGTH} characters; this one has ${value.length}.` };
  }
  return { ok: true, text: value };
}
