// A violation of RFC 6455 by the peer: a stable code to test and report, the close code to send.
import { CloseCode } from './constants.ts';

export type ProtocolErrorCode =
  | 'WS_ERR_EXPECTED_MASK'
  | 'WS_ERR_UNEXPECTED_MASK'
  | 'WS_ERR_UNEXPECTED_RSV'
  | 'WS_ERR_INVALID_OPCODE'
  | 'WS_ERR_EXPECTED_FIN'
  | 'WS_ERR_CONTROL_PAYLOAD_TOO_LONG'
  | 'WS_ERR_UNEXPECTED_CONTINUATION'
  | 'WS_ERR_EXPECTED_CONTINUATION'
  | 'WS_ERR_INVALID_64BIT_LENGTH'
  | 'WS_ERR_PAYLOAD_TOO_BIG'
  | 'WS_ERR_INVALID_UTF8'
  | 'WS_ERR_INVALID_CLOSE_PAYLOAD'
  | 'WS_ERR_INVALID_CLOSE_CODE';

const closeCodes: Record<ProtocolErrorCode, number> = {
  WS_ERR_EXPECTED_MASK: CloseCode.protocolError,
  WS_ERR_UNEXPECTED_MASK: CloseCode.protocolError,
  WS_ERR_UNEXPECTED_RSV: CloseCode.protocolError,
  WS_ERR_INVALID_OPCODE: CloseCode.protocolError,
  WS_ERR_EXPECTED_FIN: CloseCode.protocolError,
  WS_ERR_CONTROL_PAYLOAD_TOO_LONG: CloseCode.protocolError,
  WS_ERR_UNEXPECTED_CONTINUATION: CloseCode.protocolError,
  WS_ERR_EXPECTED_CONTINUATION: CloseCode.protocolError,
  WS_ERR_INVALID_64BIT_LENGTH: CloseCode.protocolError,
  WS_ERR_PAYLOAD_TOO_BIG: CloseCode.messageTooBig,
  WS_ERR_INVALID_UTF8: CloseCode.invalidPayload,
  WS_ERR_INVALID_CLOSE_PAYLOAD: CloseCode.protocolError,
  WS_ERR_INVALID_CLOSE_CODE: CloseCode.protocolError,
};

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  /** The status code of the close frame that answers this violation. */
  readonly closeCode: number;

  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
  ) {
    super(message);
    this.closeCode = closeCodes[code];
  }
}
