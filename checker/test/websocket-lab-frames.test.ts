// The WebSocket lab's RFC 6455 modules on their own: the handshake's accept value, masking, and
// the frame parser and writer on the examples of RFC 6455 section 5.7, whole and byte by byte.
import { describe, expect, test } from 'vitest';
import { Opcode, isValidCloseCode } from '../site/labs/websocket/constants.ts';
import { FrameParser, parseFrames, type Frame } from '../site/labs/websocket/frame-parser.ts';
import { encodeClosePayload, encodeFrame } from '../site/labs/websocket/frame-writer.ts';
import { computeAccept } from '../site/labs/websocket/handshake.ts';
import { applyMask } from '../site/labs/websocket/masking.ts';
import { ProtocolError } from '../site/labs/websocket/protocol-error.ts';

const bytes = (...values: number[]) => Buffer.from(values);
const hello = Buffer.from('Hello');
const key = bytes(0x37, 0xfa, 0x21, 0x3d);
const maxPayload = 64 * 1024;

/** Frames parsed from `input`, fed to the parser in chunks of `chunkSize` bytes. */
function parseInChunks(input: Buffer, from: 'client' | 'server', chunkSize: number): Frame[] {
  const frames: Frame[] = [];
  const parser = new FrameParser({ from, maxPayload, onFrame: (frame) => frames.push(frame) });
  for (let offset = 0; offset < input.length; offset += chunkSize) parser.push(input.subarray(offset, offset + chunkSize));
  return frames;
}

const errorOf = (input: Buffer, from: 'client' | 'server' = 'client', limit = maxPayload) => {
  try {
    parseFrames(input, { from, maxPayload: limit });
  } catch (error) {
    if (error instanceof ProtocolError) return { code: error.code, closeCode: error.closeCode };
    throw error;
  }
  return undefined;
};

describe('handshake', () => {
  test('RFC 6455 section 1.3: the key dGhlIHNhbXBsZSBub25jZQ== is accepted as s3pPLMBiTxaQ9kYGzzhZRbK+xOo=', () => {
    expect(computeAccept('dGhlIHNhbXBsZSBub25jZQ==')).toEqual({
      key: 'dGhlIHNhbXBsZSBub25jZQ==',
      keyWithGuid: 'dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11',
      sha1Hex: 'b37a4f2cc0624f1690f64606cf385945b2bec4ea',
      accept: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=',
    });
  });
});

describe('masking', () => {
  test('masks "Hello" with 37 fa 21 3d as in section 5.7, and unmasks it back', () => {
    const masked = applyMask(hello, key);
    expect(masked).toEqual(bytes(0x7f, 0x9f, 0x4d, 0x51, 0x58));
    expect(applyMask(masked, key)).toEqual(hello);
  });
});

describe('RFC 6455 section 5.7 examples', () => {
  const examples: { name: string; wire: Buffer; from: 'client' | 'server'; expected: Partial<Frame>[] }[] = [
    {
      name: 'a single-frame unmasked text message',
      wire: bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f),
      from: 'server',
      expected: [{ fin: true, opcode: Opcode.text, masked: false, payloadLength: 5, lengthEncoding: '7-bit', payload: hello }],
    },
    {
      name: 'a single-frame masked text message',
      wire: bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58),
      from: 'client',
      expected: [
        { fin: true, opcode: Opcode.text, masked: true, payloadLength: 5, maskingKey: key, wirePayload: bytes(0x7f, 0x9f, 0x4d, 0x51, 0x58), payload: hello },
      ],
    },
    {
      name: 'a fragmented unmasked text message',
      wire: bytes(0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f),
      from: 'server',
      expected: [
        { fin: false, opcode: Opcode.text, payload: Buffer.from('Hel') },
        { fin: true, opcode: Opcode.continuation, payload: Buffer.from('lo') },
      ],
    },
    {
      name: 'an unmasked ping',
      wire: Buffer.concat([bytes(0x89, 0x05), hello]),
      from: 'server',
      expected: [{ fin: true, opcode: Opcode.ping, masked: false, payload: hello }],
    },
    {
      name: 'a masked pong answering it',
      wire: bytes(0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58),
      from: 'client',
      expected: [{ fin: true, opcode: Opcode.pong, masked: true, payload: hello }],
    },
    {
      name: '256 bytes of binary in one unmasked frame (16-bit length)',
      wire: Buffer.concat([bytes(0x82, 0x7e, 0x01, 0x00), Buffer.alloc(256, 7)]),
      from: 'server',
      expected: [{ opcode: Opcode.binary, payloadLength: 256, lengthEncoding: '16-bit', payload: Buffer.alloc(256, 7) }],
    },
    {
      name: '64 KiB of binary in one unmasked frame (64-bit length)',
      wire: Buffer.concat([bytes(0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0), Buffer.alloc(65536, 9)]),
      from: 'server',
      expected: [{ opcode: Opcode.binary, payloadLength: 65536, lengthEncoding: '64-bit', payload: Buffer.alloc(65536, 9) }],
    },
  ];

  describe.each(examples)('$name', ({ wire, from, expected }) => {
    test('is parsed whole', () => {
      expect(parseFrames(wire, { from, maxPayload })).toMatchObject(expected);
    });
    test('is parsed from chunks of one byte', () => {
      expect(parseInChunks(wire, from, 1)).toMatchObject(expected);
    });
    test('is parsed from chunks of 3 bytes, and twice in one chunk', () => {
      expect(parseInChunks(wire, from, 3)).toMatchObject(expected);
      expect(parseInChunks(Buffer.concat([wire, wire]), from, wire.length * 2)).toMatchObject([...expected, ...expected]);
    });
    test('is written back byte for byte', () => {
      const frames = parseFrames(wire, { from, maxPayload });
      expect(Buffer.concat(frames.map((frame) => encodeFrame(frame)))).toEqual(wire);
    });
  });

  test('a ping may come between the fragments of a message', () => {
    const wire = bytes(0x01, 0x03, 0x48, 0x65, 0x6c, 0x89, 0x00, 0x80, 0x02, 0x6c, 0x6f);
    expect(parseInChunks(wire, 'server', 1).map((frame) => frame.opcode)).toEqual([Opcode.text, Opcode.ping, Opcode.continuation]);
  });
});

describe('frames the parser refuses, with their close code', () => {
  test.each([
    ['an unmasked frame from a client', encodeFrame({ opcode: Opcode.text, payload: hello }), 'client', 'WS_ERR_EXPECTED_MASK', 1002],
    ['a masked frame from a server', encodeFrame({ opcode: Opcode.text, payload: hello, maskingKey: key }), 'server', 'WS_ERR_UNEXPECTED_MASK', 1002],
    ['RSV1 set', encodeFrame({ opcode: Opcode.text, payload: hello, rsv1: true, maskingKey: key }), 'client', 'WS_ERR_UNEXPECTED_RSV', 1002],
    ['RSV3 set', encodeFrame({ opcode: Opcode.text, payload: hello, rsv3: true, maskingKey: key }), 'client', 'WS_ERR_UNEXPECTED_RSV', 1002],
    ['reserved opcode 0x3', encodeFrame({ opcode: 0x3, payload: hello, maskingKey: key }), 'client', 'WS_ERR_INVALID_OPCODE', 1002],
    ['reserved opcode 0xB', encodeFrame({ opcode: 0xb, maskingKey: key }), 'client', 'WS_ERR_INVALID_OPCODE', 1002],
    ['a fragmented ping', encodeFrame({ opcode: Opcode.ping, fin: false, maskingKey: key }), 'client', 'WS_ERR_EXPECTED_FIN', 1002],
    ['a ping of 126 bytes', encodeFrame({ opcode: Opcode.ping, payload: Buffer.alloc(126), maskingKey: key }), 'client', 'WS_ERR_CONTROL_PAYLOAD_TOO_LONG', 1002],
    ['a continuation with no message', encodeFrame({ opcode: Opcode.continuation, payload: hello, maskingKey: key }), 'client', 'WS_ERR_UNEXPECTED_CONTINUATION', 1002],
    [
      'a new message before the last fragment',
      Buffer.concat([encodeFrame({ opcode: Opcode.text, fin: false, payload: hello, maskingKey: key }), encodeFrame({ opcode: Opcode.text, payload: hello, maskingKey: key })]),
      'client',
      'WS_ERR_EXPECTED_CONTINUATION',
      1002,
    ],
    ['a 64-bit length with its top bit set', bytes(0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1), 'client', 'WS_ERR_INVALID_64BIT_LENGTH', 1002],
  ] as const)('%s', (_name, wire, from, code, closeCode) => {
    expect(errorOf(wire, from)).toEqual({ code, closeCode });
  });

  test('a frame over the size cap is refused from its header alone, before its payload arrives', () => {
    const header = bytes(0x82, 0xff, 0, 0, 0, 0, 0x40, 0, 0, 0, ...key);
    expect(errorOf(header)).toEqual({ code: 'WS_ERR_PAYLOAD_TOO_BIG', closeCode: 1009 });
  });

  test('a message over the cap in several frames each under it is refused at the frame that passes it', () => {
    const half = Buffer.alloc(40 * 1024);
    const wire = Buffer.concat([encodeFrame({ opcode: Opcode.binary, fin: false, payload: half, maskingKey: key }), encodeFrame({ opcode: Opcode.continuation, payload: half, maskingKey: key })]);
    expect(errorOf(wire)).toEqual({ code: 'WS_ERR_PAYLOAD_TOO_BIG', closeCode: 1009 });
    expect(errorOf(wire, 'client', 100 * 1024)).toBeUndefined();
  });

  test('after an error the parser reads nothing more', () => {
    const frames: Frame[] = [];
    const parser = new FrameParser({ from: 'client', maxPayload, onFrame: (frame) => frames.push(frame) });
    expect(() => parser.push(encodeFrame({ opcode: Opcode.text, payload: hello }))).toThrow(ProtocolError);
    parser.push(encodeFrame({ opcode: Opcode.text, payload: hello, maskingKey: key }));
    expect(frames).toEqual([]);
  });
});

describe('close frames', () => {
  test('a close payload is the code in 2 bytes, then the reason in UTF-8', () => {
    expect(encodeClosePayload(1000, 'bye')).toEqual(bytes(0x03, 0xe8, 0x62, 0x79, 0x65));
  });

  test.each([
    [1000, true], [1001, true], [1003, true], [1004, false], [1005, false], [1006, false], [1007, true],
    [1010, true], [1011, true], [1012, true], [1013, true], [1014, true], [1015, false], [2999, false], [3000, true], [4999, true], [5000, false], [999, false],
  ])('close code %i may be sent: %s', (code, valid) => {
    expect(isValidCloseCode(code)).toBe(valid);
  });
});
