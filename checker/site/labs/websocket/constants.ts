// The numbers of RFC 6455 and the lab's own limits, in one place: every other module names them.

/** Appended to Sec-WebSocket-Key before hashing (RFC 6455, section 1.3). */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The only protocol version a server may accept (section 4.1). */
export const WEBSOCKET_VERSION = '13';

export const Opcode = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

export type OpcodeValue = (typeof Opcode)[keyof typeof Opcode];

/** The name of each opcode, as the page shows it; values not listed are reserved. */
export const opcodeNames: Record<number, string> = {
  [Opcode.continuation]: 'continuation',
  [Opcode.text]: 'text',
  [Opcode.binary]: 'binary',
  [Opcode.close]: 'close',
  [Opcode.ping]: 'ping',
  [Opcode.pong]: 'pong',
};

export function opcodeName(opcode: number): string {
  return opcodeNames[opcode] ?? (opcode < 0x8 ? 'reserved (non-control)' : 'reserved (control)');
}

/** Close, ping and pong: the opcodes with the high bit set (section 5.5). */
export const isControlOpcode = (opcode: number) => (opcode & 0x8) !== 0;

// Bits of the first two header bytes (section 5.2).
export const FIN_BIT = 0x80;
export const RSV1_BIT = 0x40;
export const RSV2_BIT = 0x20;
export const RSV3_BIT = 0x10;
export const OPCODE_BITS = 0x0f;
export const MASK_BIT = 0x80;
export const LENGTH_BITS = 0x7f;

/** The 7-bit length field: up to this value it is the length itself. */
export const MAX_7BIT_LENGTH = 125;
export const LENGTH_16BIT_MARKER = 126;
export const LENGTH_64BIT_MARKER = 127;
export const MAX_16BIT_LENGTH = 0xffff;
export const MASKING_KEY_LENGTH = 4;

/** A control frame's payload: at most 125 bytes (section 5.5). */
export const MAX_CONTROL_PAYLOAD = 125;

export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  /** Never sent: stands for "the close frame had no code". */
  noStatus: 1005,
  /** Never sent: stands for "the connection ended without a close frame". */
  abnormal: 1006,
  invalidPayload: 1007,
  policyViolation: 1008,
  messageTooBig: 1009,
  mandatoryExtension: 1010,
  internalError: 1011,
  /** 1012 to 1014 come from IANA's registry, not from RFC 6455 itself. */
  serviceRestart: 1012,
  tryAgainLater: 1013,
  badGateway: 1014,
} as const;

/** Codes a close frame may carry (section 7.4): 1004–1006 and 1015 are reserved, 3000–4999 are for applications. */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

/** Where the lab lives on the site's server. */
export const LabPath = {
  socket: '/labs/websocket/socket',
  events: '/labs/websocket/events',
  ping: '/labs/websocket/ping',
} as const;

export interface LabLimits {
  /** The largest frame payload and the largest message, in bytes: larger ones are closed with 1009. */
  maxPayload: number;
  /** Lab WebSocket connections open at once, all readers together. */
  maxConnections: number;
  /** Report channels (open lab pages) at once. */
  maxSessions: number;
  /** A WebSocket with no frame from its client for this long is closed with 1001. */
  idleTimeoutMs: number;
  /** How long to wait for the peer's close frame, or its end of TCP, before dropping the socket. */
  closeTimeoutMs: number;
}

export const defaultLabLimits: LabLimits = {
  maxPayload: 64 * 1024,
  maxConnections: 32,
  maxSessions: 32,
  idleTimeoutMs: 5 * 60_000,
  closeTimeoutMs: 2_000,
};

/** The report of a frame shows at most this many of its payload bytes. */
export const REPORTED_BYTES = 256;
/** Outgoing bytes waiting in a socket's buffer past which the lab stops reading from that peer. */
export const MAX_WRITE_BACKLOG = 1024 * 1024;
