// Step 10 as learners may write it: wrong ways fail with the message that helps, right ways pass,
// whatever their style. Each runs the whole step's checks, proxy and Chromium included. Run by
// checker/test/variants.test.ts.
import type { StepVariants } from '../../checker/checks/check.ts';

const seenIdsBlock = /const seenIds = new Set<string>\(\);\nconst maxSeenIds = 10_000;\n\n.*\nfunction remember\(id: string\): void \{\n.*\n.*\n\}\n/;
const seenThenRate = '    if (seenIds.has(id)) return answer({ ok: true });\n    if (!withinRate()) return answer({ ok: false, error: tooFast });\n    remember(id);\n';
const tryConfirm = /    try \{\n      const confirmations = await [\s\S]*?\n    \}\n(?=  \}\);)/;

export const variants: StepVariants = {
  cases: [
    // The server
    {
      name: 'messages taken without an id',
      // The first one: in 'chat message'.
      edits: { 'index.ts': [['    if (!isMessageId(id)) return answer({ ok: false, error: noId });\n', '']] },
      fails: /a message without an id to be refused with \{ ok: false, error: "…" \}\n.*the server answered \{"ok":true\}: without an id nobody can tell a message sent again from a new one/,
      caughtBy: ['message-ids'],
    },
    {
      name: 'no de-duplication on the server',
      edits: { 'index.ts': [['    if (seenIds.has(id)) return answer({ ok: true });\n', '']] },
      fails: /dee-N to receive once the message cal-N sent again and again with the same id\n.*she got it \d+ times: remember each id passed on/,
      caughtBy: ['no-duplicates'],
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
      caughtBy: ['cut-mid-send'],
    },
    {
      name: 'copies checked after the rate limit: they count as new messages',
      edits: { 'index.ts': [[seenThenRate, "    if (!withinRate()) return answer({ ok: false, error: tooFast });\n    if (seenIds.has(id)) return answer({ ok: true });\n    remember(id);\n"]] },
      fails: /each copy of a message sent 6 times again, with the same id, to be answered \{ ok: true \}.*\n.*copy \d was answered \{"ok":false,"error":"You are sending messages too fast: wait a moment\."\}.*answer a copy before the rate check/,
      caughtBy: ['no-duplicates'],
    },
    {
      name: 'ids remembered before the checks, refused messages included',
      edits: {
        'index.ts': [
          [seenThenRate, "    if (!withinRate()) return answer({ ok: false, error: tooFast });\n"],
          ['    if (!isMessageId(id)) return answer({ ok: false, error: noId });\n    if (!isRoom(room))', '    if (!isMessageId(id)) return answer({ ok: false, error: noId });\n    if (seenIds.has(id)) return answer({ ok: true });\n    remember(id);\n    if (!isRoom(room))'],
        ],
      },
      fails: /a message refused once, then sent again with the same id once cal-N had joined #random, to be judged again and reach dee-N in #random\n.*the second try was answered \{"ok":true\}, and dee-N never got it: its id was remembered though the message was refused/,
      caughtBy: ['no-duplicates'],
    },
    {
      name: 'every room named in the handshake joined, user rooms included',
      edits: { 'index.ts': [['socket.join(wantedRooms.filter(isRoom))', 'socket.join(wantedRooms)']] },
      fails: /eve-H not to receive a private message meant for dan-H\n.*Join only the chat's rooms: filter with isRoom/,
      caughtBy: ['rooms-in-handshake'],
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
      caughtBy: ['rooms-in-handshake'],
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
      caughtBy: ['dm-confirmed'],
    },
    {
      name: 'private messages sent again checked against the seen ids, and never delivered again',
      edits: { 'index.ts': [['    console.log(`private message from', '    if (seenIds.has(id)) return answer({ ok: true });\n    remember(id);\n    console.log(`private message from']] },
      fails: /the same private message sent again \(its answer was lost\) to reach ray-E again.*\n.*he did not get it again, and sue-E was answered \{"ok":true\}: a private message is not checked against seenIds/,
      caughtBy: ['dm-confirmed'],
    },
    {
      name: 'the server waits 10 s for a confirmation, as long as the page does',
      edits: { 'index.ts': [['const deliveryTimeoutMs = 5000;', 'const deliveryTimeoutMs = 10_000;']] },
      fails: /sue-E, whose private message ray-E never confirmed, to be answered within 8\.5 s, before her page's client gives up waiting \(10 s\).*\n.*no answer came in \d+\.\d s: wait for the confirmation 5 s at most/,
      caughtBy: ['dm-confirmed'],
    },
    {
      name: 'a private message nobody confirmed answered { ok: true } all the same',
      edits: { 'index.ts': [['      answer({ ok: false, error: `${to} did not confirm it within', '      return answer({ ok: true });\n      answer({ ok: false, error: `${to} did not confirm it within']] },
      fails: /sue-E, whose private message ray-E never confirmed, to be answered \{ ok: false, error: "…" \}.*\n.*she was answered \{"ok":true\}: when emitWithAck rejects/,
      caughtBy: ['dm-confirmed'],
    },
    {
      name: "'stop typing' not answered",
      edits: { 'index.ts': [["  socket.on('stop typing', (reply: unknown) => {\n    socket.broadcast.emit('stop typing', nickname);\n    replyTo(reply)({ ok: true });\n  });", "  socket.on('stop typing', () => socket.broadcast.emit('stop typing', nickname));"]] },
      fails: /'stop typing' to be answered through its acknowledgement\n.*every message typed after it would wait 10 s × 4 tries/,
      caughtBy: ['stop-typing-answered'],
    },
    {
      // What a busy connection does now and then to a volatile event, here every time: a check
      // that sent one 'typing' and waited for it would fail a server that does as it should.
      name: "the first 'typing' of each client dropped, as a volatile event may be",
      edits: {
        'index.ts': [
          [
            "  socket.on('typing', () => socket.broadcast.volatile.emit('typing', nickname));",
            "  let typedBefore = false;\n  socket.on('typing', () => {\n    if (typedBefore) socket.broadcast.volatile.emit('typing', nickname);\n    typedBefore = true;\n  });",
          ],
        ],
      },
    },
    // The page
    {
      name: 'a page without retries',
      edits: { 'index.html': [['io({ autoConnect: false, ackTimeout: 10_000, retries: 3 })', 'io({ autoConnect: false })']] },
      fails: /a message sent just as the connection dropped to be sent again once it is back, and reach ivy-A\n.*it was lost .*the client sent it once, into a dying connection/,
      caughtBy: ['page-resend'],
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
      caughtBy: ['page-resend'],
    },
    {
      name: "no 'sending…' on a message waiting for its answer",
      edits: { 'index.html': [["status.textContent = 'sending…';", "status.textContent = '';"]] },
      fails: /your message to be marked "sending…" while the server has not answered it/,
      caughtBy: ['page-ack-lost'],
    },
    {
      name: "'typing' sent without volatile: it waits in the queue for an answer that never comes",
      edits: { 'index.html': [["socket.volatile.emit('typing');", "socket.emit('typing');"]] },
      fails: /a message typed in the page to reach ivy-A\n.*the page still shows .* after 3 s: its client sends one event at a time.*send it volatile, socket\.volatile\.emit\('typing'\)/,
      caughtBy: ['page-resend'],
    },
    {
      name: 'own messages signed with socket.auth.nickname, undefined now that auth is a function',
      edits: { 'index.html': [['${nick.value.trim()}: ${text}`', '${socket.auth.nickname}: ${text}`']] },
      fails: /your own message to show who wrote it, not "undefined"\n.*undefined: pia says hi in #random 1.*take it from the field, nick\.value\.trim\(\)/,
      caughtBy: ['page-resend'],
    },
    {
      name: 'private messages sent without send(): never marked "sending…"',
      edits: {
        'index.html': [
          [
            "            send('private message', { id, to: target.to, text }, `[private] to ${target.to}: ${text}`, 'mine private');",
            "            show(`[private] to ${target.to}: ${text}`, 'mine private');\n            socket.emit('private message', { id, to: target.to, text });",
          ],
        ],
      },
      fails: /your private message to be marked "sending…" while its recipient has not confirmed it\n.*send private messages with send\(…\) too/,
      caughtBy: ['page-dm'],
    },
    {
      name: 'a page that ignores refusals',
      edits: { 'index.html': [['          if (answer.ok) status.remove();\n          else showFailure(item, status, answer.error);', '          status.remove();']] },
      fails: /a message the server refuses to be marked in the page with the reason it gave, "A message must be some text, at most 1000 characters\."/,
      caughtBy: ['page-ack-lost'],
    },
    {
      name: 'ids made of socket.id and a counter',
      edits: { 'index.html': [['const id = crypto.randomUUID();', 'const id = `${socket.id}-${(sent += 1)}`;'], ['      let target = ', '      let sent = 0;\n      let target = ']] },
      fails: /both messages, one from each page, to reach ola-C\n.*with the id "undefined-1": .* An id built from socket\.id is "undefined…" while offline, on every page\. Make each id with crypto\.randomUUID\(\)/,
      caughtBy: ['page-offline'],
    },
    {
      name: 'ids made of the nickname and a counter, which starts again with every page load',
      edits: { 'index.html': [['const id = crypto.randomUUID();', 'const id = `${nick.value.trim()}-message-${(sent += 1)}`;'], ['      let target = ', '      let sent = 0;\n      let target = ']] },
      fails: /a message from the page opened again to reach ola-C\n.*A counter starts again on every page load: make each id with crypto\.randomUUID\(\)/,
      caughtBy: ['page-offline'],
    },
    {
      name: 'no line about the lost connection',
      edits: { 'index.html': [["      socket.on('disconnect', () => {\n        connection.hidden = false;\n      });\n", '']] },
      fails: /the page to show the line #connection \("Connection lost: reconnecting…"\) while it is disconnected/,
      caughtBy: ['page-offline'],
    },
    {
      name: 'private messages shown every time they come',
      edits: { 'index.html': [['showOnce(id, `[private] from ${from}: ${text}`', 'show(`[private] from ${from}: ${text}`']] },
      fails: /a private message that came twice, with the same id, to be shown once\n.*the page shows it 2 times/,
      caughtBy: ['page-dm'],
    },
    {
      name: 'private messages never confirmed by the page',
      edits: { 'index.html': [['        confirm({ ok: true });\n', '']] },
      fails: /sam-D to be answered \{ ok: true \} once the page showed his private message\n.*he was answered \{"ok":false,"error":"pam-D did not confirm it within 5 s: try again\."\}: the page never confirmed it/,
      caughtBy: ['page-dm'],
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
      name: 'the confirmation of a private message waited for with a callback instead of emitWithAck',
      edits: {
        'index.ts': [
          [
            tryConfirm,
            "    io.to(userRoom(to))\n      .timeout(deliveryTimeoutMs)\n      .emit('private message', { id, from: nickname, text }, (error: Error | null, confirmations: unknown[]) => {\n        if (error) answer({ ok: false, error: `${to} did not confirm it in time: try again.` });\n        else if (confirmations.length === 0) answer({ ok: false, error: `${to} is not online.` });\n        else answer({ ok: true });\n      });\n",
          ],
          ["socket.on('private message', async (", "socket.on('private message', ("],
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
    {
      name: 'the new options without autoConnect: false',
      edits: { 'index.html': [['io({ autoConnect: false, ackTimeout: 10_000, retries: 3 })', 'io({ ackTimeout: 10_000, retries: 3 })']] },
      fails: /the page to connect once a nickname is submitted, as since step 07, with its new options too/,
      caughtBy: ['page-resend'],
    },
  ],
  survivors: [
    { file: 'index.html', code: "'status'", mutant: '""', why: `the mark reads "sending…" (checked); its class is the page's style` },
    { file: 'index.html', code: "{ showFailure(item, status, 'no answer from the server'); }", mutant: '{}', why: 'shown only when four tries of 10 s each all go unanswered: no check waits 40 s for it' },
    { file: 'index.html', code: "'no answer from the server'", mutant: '""', why: 'shown only when four tries of 10 s each all go unanswered: no check waits 40 s for it' },
    { file: 'index.html', code: 'nick.value.trim()', mutant: 'nick.value', why: "the server trims the nickname itself, and spaces around a name in the page's own line collapse when shown" },
    { file: 'index.html', code: 'shownIds.add(id);', mutant: ';', why: 'the server never sends a page its own message back (socket.to leaves the sender out, and a private message to oneself is refused), so that id is never looked up' },
    { file: 'index.html', code: "'mine private'", mutant: '""', why: `one's own private message still reads "[private] to …" with its "sending…" (checked); its colour is the page's style` },
    { file: 'index.html', code: "'mine'", mutant: '""', why: "showing one's own lines apart is step 06's requirement, checked there" },
    { file: 'index.html', code: "'private'", mutant: '""', why: `a private message received still reads "[private] from …" (checked); its colour is the page's style` },
    { file: 'index.html', code: 'true', mutant: 'false', why: "the server counts confirmations, not what they say: the lesson's server reads none of it" },
    { file: 'index.html', code: '{ ok: true }', mutant: '{}', why: "the server counts confirmations, not what they say: the lesson's server reads none of it" },
    { file: 'index.ts', code: 'seenIds.size > maxSeenIds', mutant: 'false', why: 'the bound on remembered ids shows only past 10,000 messages, which the rate limit spreads over hours' },
    { file: 'index.ts', code: 'seenIds.size > maxSeenIds', mutant: 'seenIds.size >= maxSeenIds', why: 'remembering 9,999 ids rather than 10,000 shows only past 10,000 messages, which the rate limit spreads over hours' },
    { file: 'index.ts', code: 'confirmations.length > 0', mutant: 'true', why: "unreachable in one process: the online check and the recipient's room are read in the same tick, so the room is never empty here (it matters from step 12 on)" },
    { file: 'index.ts', code: 'confirmations.length > 0', mutant: 'confirmations.length >= 0', why: "unreachable in one process: the online check and the recipient's room are read in the same tick, so the room is never empty here" },
    { file: 'index.ts', code: '{ ok: false, error: `${to} is not online.` }', mutant: '{}', why: "unreachable in one process: the online check and the recipient's room are read in the same tick, so the room is never empty here" },
    { file: 'index.ts', code: 'false', mutant: 'true', why: "unreachable in one process: the online check and the recipient's room are read in the same tick, so the room is never empty here" },
    { file: 'index.ts', code: '`${to} is not online.`', mutant: '``', why: "unreachable in one process: the online check and the recipient's room are read in the same tick, so the room is never empty here" },
    { file: 'index.ts', code: 'deliveryTimeoutMs / 1000', mutant: 'deliveryTimeoutMs * 1000', why: "the number of seconds in the refusal's words: the lesson asks for a refusal with a reason, which it still is" },
    { file: 'index.ts', code: '{ ok: true }', mutant: '{}', why: "a client with retries waits for an answer to 'stop typing', whatever it says: any answer ends its wait (checked)" },
    { file: 'index.ts', code: 'true', mutant: 'false', why: "a client with retries waits for an answer to 'stop typing', whatever it says: any answer ends its wait (checked)" },
    { file: 'index.ts', code: 'seenIds.delete(seenIds.values().next().value!);', mutant: ';', why: 'the bound on remembered ids shows only past 10,000 messages, which the rate limit spreads over hours' },
  ],
};
