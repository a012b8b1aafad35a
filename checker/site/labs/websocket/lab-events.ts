// What the lab tells a reader's page, over Server-Sent Events: the handshake it received, each
// frame in both directions decoded, and how the connection ended. Plain JSON, one event each.
import { isUtf8 } from 'node:buffer';
import { Opcode, opcodeName, REPORTED_BYTES } from './constants.ts';
import type { ClosedConnection, MessageType } from './connection.ts';
import type { Frame, LengthEncoding } from './frame-parser.ts';
import type { AcceptComputation } from './handshake.ts';
import type { ProtocolError, ProtocolErrorCode } from './protocol-error.ts';

export interface FrameReport {
  direction: 'client-to-server' | 'server-to-client';
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  opcodeName: string;
  masked: boolean;
  payloadLength: number;
  lengthEncoding: LengthEncoding;
  headerHex: string;
  maskingKeyHex?: string;
  /** The payload as it travelled (masked when masked), its first REPORTED_BYTES bytes in hex. */
  wireHex: string;
  /** The same bytes unmasked. */
  payloadHex: string;
  /** How many payload bytes the two hex strings show. */
  shownBytes: number;
  /** The payload as text, for a text frame that holds a whole message. */
  text?: string;
  /** A close frame's code and reason. */
  close?: { code?: number; reason: string };
}

export type LabEvent =
  | { type: 'session'; id: string; maxPayload: number; idleTimeoutMs: number }
  | {
      type: 'handshake';
      request: { method: string; url: string; httpVersion: string; headers: [name: string, value: string][] };
      accept: AcceptComputation;
      response: string;
    }
  | { type: 'handshake-rejected'; status: number; message: string }
  | { type: 'frame'; frame: FrameReport }
  | { type: 'message'; messageType: MessageType; length: number; frameCount: number; text?: string }
  | { type: 'protocol-error'; code: ProtocolErrorCode; message: string; closeCode: number }
  | ({ type: 'closed' } & ClosedConnection)
  | { type: 'session-ended'; reason: string };

/** The longest text a report carries; the page has no use for more. */
const REPORTED_TEXT = 2000;

const hex = (bytes: Buffer) => bytes.subarray(0, REPORTED_BYTES).toString('hex').replace(/(..)(?!$)/g, '$1 ');
const shortText = (data: Buffer) => data.toString('utf8').slice(0, REPORTED_TEXT);

export function reportFrame(frame: Frame, direction: FrameReport['direction']): LabEvent {
  const report: FrameReport = {
    direction,
    fin: frame.fin,
    rsv1: frame.rsv1,
    rsv2: frame.rsv2,
    rsv3: frame.rsv3,
    opcode: frame.opcode,
    opcodeName: opcodeName(frame.opcode),
    masked: frame.masked,
    payloadLength: frame.payloadLength,
    lengthEncoding: frame.lengthEncoding,
    headerHex: hex(frame.header),
    maskingKeyHex: frame.maskingKey && hex(frame.maskingKey),
    wireHex: hex(frame.wirePayload),
    payloadHex: hex(frame.payload),
    shownBytes: Math.min(frame.payload.length, REPORTED_BYTES),
  };
  if (frame.opcode === Opcode.text && frame.fin && isUtf8(frame.payload)) report.text = shortText(frame.payload);
  if (frame.opcode === Opcode.close) {
    report.close = frame.payload.length >= 2 ? { code: frame.payload.readUInt16BE(0), reason: shortText(frame.payload.subarray(2)) } : { reason: '' };
  }
  return { type: 'frame', frame: report };
}

export function reportMessage(messageType: MessageType, data: Buffer, frameCount: number): LabEvent {
  return { type: 'message', messageType, length: data.length, frameCount, text: messageType === 'text' ? shortText(data) : undefined };
}

export function reportProtocolError(error: ProtocolError): LabEvent {
  return { type: 'protocol-error', code: error.code, message: error.message, closeCode: error.closeCode };
}
