// Step 10 as learners may write it: wrong ways fail with the message that helps, right ways pass,
// whatever their style. Each runs the whole step's checks, proxy and Chromium included.
import { afterAll, describe, expect, test } from 'vitest';
import { runKit } from './helpers/run-kit.ts';
import { leftRunning, makeVariant, type Edits, type Variant } from './helpers/variant.ts';

interface Case {
  name: string;
  edits: Edits;
  /** What the learner must read; absent for a variant that must pass. */
  fails?: RegExp;
}

const step = '10-delivery';

const seenIdsBlock = /const seenIds = new Set<string>\(\);\nconst maxSeenIds = 10_000;\n\n.*\nfunction remember\(id: string\): void \{\n.*\n.*\n\}\n/;
const tryConfirm = /    try \{\n      const confirmations = await [\s\S]*?\n    \}\n(?=  \}\);)/;

const cases: Case[] = [
  // The server
  {
    name: 'messages taken without an id',
    // The first one: in 'chat message'.
    edits: { 'index.ts': [['    if (!isMessageId(id)) return answer({ ok: false, error: noId });\n', '']] },
    fails: /a message without an id to be refused with \{ ok: false, error: "…" \}\n.*the server answered \{"ok":true\}: without an id nobody can tell a message sent again from a new one/,
  },
  {
    name: 'no de-duplication on the server',
    edits: { 'index.ts': [['    if (seenIds.has(id)) return answer({ ok: true });\n', '']] },
    fails: /dee-N to receive the message sent twice with the same id once\n.*she got it 2 times: remember each id passed on/,
  },
  {
    name: 'the seen ids kept per connection',
    edits: {
      'index.ts': [
        [seenIdsBlock, ''],
        ["  const { nickname } = socket.data;\n", "  const { nickname } = socket.data;\n  const seenIds = new Set<string>();\n  const remember = (id: string) => seenIds.add(id);\n"],
      ],
    },
    fails: /gil-X to receive it once\n.*it came again on hal-X's new connection.*keep seenIds outside io\.on\('connection', …\)/,
  },
  {
    name: 'every room named in the handshake joined, user rooms included',
    edits: { 'index.ts': [['socket.join(wantedRooms.filter(isRoom))', 'socket.join(wantedRooms)']] },
    fails: /eve-H not to receive a private message meant for dan-H\n.*Join only the chat's rooms: filter with isRoom/,
  },
  {
    name: 'the rooms of the handshake used without checking that they are a list',
    edits: {
      'index.ts': [
        ['const wantedRooms: unknown = socket.handshake.auth.rooms;', 'const wantedRooms = socket.handshake.auth.rooms as string[] | undefined;'],
        ['if (Array.isArray(wantedRooms)) socket.join', 'if (wantedRooms) socket.join'],
      ],
    },
    fails: /the server to keep running after a client sent rooms: 42 in its handshake\n.*it stopped with "TypeError: wantedRooms\.filter is not a function"/,
  },
  {
    name: 'private messages answered at once, confirmed or not',
    edits: {
      'index.ts': [
        [tryConfirm, "    io.to(userRoom(to)).timeout(deliveryTimeoutMs).emit('private message', { id, from: nickname, text }, () => {});\n    answer({ ok: true });\n"],
        ["socket.on('private message', async (", "socket.on('private message', ("],
      ],
    },
    fails: /sue-E to get no answer to her private message while ray-E has not confirmed it\n.*she was answered \{"ok":true\} already: wait for the confirmation/,
  },
  {
    name: "'stop typing' not answered",
    edits: { 'index.ts': [["  socket.on('stop typing', (reply: unknown) => {\n    socket.broadcast.emit('stop typing', nickname);\n    replyTo(reply)({ ok: true });\n  });", "  socket.on('stop typing', () => socket.broadcast.emit('stop typing', nickname));"]] },
    fails: /'stop typing' to be answered through its acknowledgement\n.*every message typed after it would wait 10 s × 4 tries/,
  },
  // The page
  {
    name: 'a page without retries',
    edits: { 'index.html': [['io({ autoConnect: false, ackTimeout: 10_000, retries: 3 })', 'io({ autoConnect: false })']] },
    fails: /a message sent just as the connection dropped to be sent again once it is back, and reach ivy-A\n.*it was lost .*the client sent it once, into a dying connection/,
  },
  {
    name: "a page that joins its rooms again on 'connect', as in step 09",
    edits: {
      'index.html': [
        ['socket.auth = (send) => send({ nickname, rooms: [...joined] });', 'socket.auth = { nickname };'],
        ['        connection.hidden = true;\n', "        connection.hidden = true;\n        for (const room of joined) socket.emit('join room', room);\n"],
      ],
    },
    fails: /the server refused it \("Join #random first\."\): it went out again before the 'connect' listener joined #random again/,
  },
  {
    name: "no 'sending…' on a message waiting for its answer",
    edits: { 'index.html': [["status.textContent = 'sending…';", "status.textContent = '';"]] },
    fails: /your message to be marked "sending…" while the server has not answered it/,
  },
  {
    name: 'a page that ignores refusals',
    edits: { 'index.html': [['          if (answer.ok) status.remove();\n          else showFailure(item, status, answer.error);', '          status.remove();']] },
    fails: /a message the server refuses to be marked in the page with the reason it gave, "A message must be some text, at most 1000 characters\."/,
  },
  {
    name: 'ids made of socket.id and a counter',
    edits: { 'index.html': [['const id = crypto.randomUUID();', 'const id = `${socket.id}-${(sent += 1)}`;'], ['      let target = ', '      let sent = 0;\n      let target = ']] },
    fails: /both messages, one from each page, to reach ola-C\n.*with the id "undefined-1": .* An id built from socket\.id is "undefined…" while offline, on every page\. Make each id with crypto\.randomUUID\(\)/,
  },
  {
    name: 'ids made of the nickname and a counter, which starts again with every page load',
    edits: { 'index.html': [['const id = crypto.randomUUID();', 'const id = `${nick.value.trim()}-message-${(sent += 1)}`;'], ['      let target = ', '      let sent = 0;\n      let target = ']] },
    fails: /a message from the page opened again to reach ola-C\n.*A counter starts again on every page load: make each id with crypto\.randomUUID\(\)/,
  },
  {
    name: 'no line about the lost connection',
    edits: { 'index.html': [["      socket.on('disconnect', () => {\n        connection.hidden = false;\n      });\n", '']] },
    fails: /the page to show the line #connection \("Connection lost: reconnecting…"\) while it is disconnected/,
  },
  {
    name: 'private messages shown every time they come',
    edits: { 'index.html': [['showOnce(id, `[private] from ${from}: ${text}`', 'show(`[private] from ${from}: ${text}`']] },
    fails: /a private message that came twice, with the same id, to be shown once\n.*the page shows it 2 times/,
  },
  {
    name: 'private messages never confirmed by the page',
    edits: { 'index.html': [['        confirm({ ok: true });\n', '']] },
    fails: /sam-D to be answered \{ ok: true \} once the page showed his private message\n.*he was answered \{"ok":false,"error":"pam-D did not confirm it within 5 s: try again\."\}: the page never confirmed it/,
  },
  // Right, in another way
  {
    name: 'a callback, error first, instead of emitWithAck',
    edits: {
      'index.html': [
        ['async function send(', 'function send('],
        [
          /        try \{\n          const answer = await socket\.emitWithAck\(event, payload\);\n[\s\S]*?no answer from the server'\);\n        \}\n/,
          "        socket.emit(event, payload, (error, answer) => {\n          if (error) showFailure(item, status, 'no answer from the server');\n          else if (answer.ok) status.remove();\n          else showFailure(item, status, answer.error);\n        });\n",
        ],
      ],
    },
  },
  {
    name: 'the seen ids in a Map with the time each came, forgotten after ten minutes',
    edits: {
      'index.ts': [
        [
          seenIdsBlock,
          'const seenIds = new Map<string, number>();\nconst keepIdsMs = 10 * 60 * 1000;\n\nfunction remember(id: string): void {\n  const now = Date.now();\n  seenIds.set(id, now);\n  for (const [old, seenAt] of seenIds) {\n    if (now - seenAt < keepIdsMs) break;\n    seenIds.delete(old);\n  }\n}\n',
        ],
      ],
    },
  },
];

const made: Variant[] = [];
afterAll(() => made.forEach((variant) => variant.remove()));

describe.each(cases)(`${step}: $name`, ({ edits, fails }) => {
  test(fails ? 'fails with a helpful message' : 'passes', async () => {
    const variant = makeVariant(step, edits);
    made.push(variant);
    const run = await runKit(['check', '10', '--dir', variant.dir]);
    if (fails) {
      expect(run.output).toMatch(fails);
      expect(run.code, run.output).toBe(1);
    } else {
      expect(run.output).toContain('✔ Step');
      expect(run.code, run.output).toBe(0);
    }
    expect(await leftRunning(variant.dir)).toBe('');
  });
});
