// Step 09 as learners may write it: wrong ways fail with the message that helps, right ways
// pass, whatever their style. Run by checker/test/variants.test.ts.
import type { StepVariants } from '../../checker/checks/check.ts';

export const variants: StepVariants = {
  cases: [
    {
      name: 'a misspelt "join room" listener',
      edits: { 'index.ts': [["socket.on('join room',", "socket.on('join-room' as 'join room',"]] },
      fails: /Expected the server to answer "join room" with "random" through the acknowledgement\n.*your server got "join room", and nothing listened for it/,
      caughtBy: ['room-isolation'],
    },
    {
      name: 'the rooms in a Set, and io.to(room).except(socket.id)',
      edits: {
        'index.ts': [
          ["const rooms = ['general', 'random', 'help'];", "const rooms = new Set(['general', 'random', 'help']);"],
          ['rooms.includes(room)', 'rooms.has(room)'],
          ['${rooms.map(', '${[...rooms].map('],
          ["socket.to(room).emit('chat message'", "io.to(room).except(socket.id).emit('chat message'"],
        ],
      },
    },
    {
      name: "online looked up by the user's room, the private message sent with socket.to, and whispers in the page",
      edits: {
        'index.ts': [
          ['if (!onlineNicknames().includes(to))', "if (!io.of('/').adapter.rooms.has(userRoom(to)))"],
          ["io.to(userRoom(to)).emit('private message'", "socket.to(userRoom(to)).emit('private message'"],
        ],
        'index.html': [["show(`[private] from ${from}: ${text}`, 'private')", "show(`${from} whispers: ${text}`, 'private')"]],
      },
    },
    { name: 'room messages sent with io.emit', edits: { 'index.ts': [["socket.to(room).emit('chat message'", "io.emit('chat message'"]] }, fails: /bob-I, who is only in #general, not to receive a message sent to #random\n.*io\.emit and socket\.broadcast\.emit reach everyone/, caughtBy: ['room-isolation'] },
    { name: 'room messages still broadcast, as in the starter', edits: { 'index.ts': [["socket.to(room).emit('chat message'", "socket.broadcast.emit('chat message'"]] }, fails: /socket\.to\(room\)\.emit reaches that room only/, caughtBy: ['room-isolation'] },
    { name: 'room messages sent with io.to(room), echoed to the sender', edits: { 'index.ts': [["socket.to(room).emit('chat message'", "io.to(room).emit('chat message'"]] }, fails: /alice-I got it back: io\.to\(room\) includes the sender/, caughtBy: ['room-isolation'] },
    { name: 'no membership check', edits: { 'index.ts': [[/ *if \(!socket\.rooms\.has\(room\)\) return.*\n/, '']] }, fails: /from frank-M, who never joined it, to be refused[\s\S]*check socket\.rooms\.has\(room\) first/, caughtBy: ['not-a-member'] },
    { name: 'no socket.leave', edits: { 'index.ts': [['      socket.leave(room);\n', '']] }, fails: /he still got one: in socket\.on\('leave room', …\), call socket\.leave\(room\)/, caughtBy: ['join-leave'] },
    { name: 'not put in #general on connection', edits: { 'index.ts': [["  socket.join('general');\n", '']] }, fails: /from carol-I, who never left it, to be answered \{ ok: true \}\n.*"Join #general first\."\}: every new connection should be in #general, socket\.join\('general'\)/, caughtBy: ['room-isolation'] },
    { name: 'private messages broadcast', edits: { 'index.ts': [["io.to(userRoom(to)).emit('private message'", "socket.broadcast.emit('private message'"]] }, fails: /judy-P not to receive a private message meant for ivan-P/, caughtBy: ['private-message'] },
    { name: "the user's room named after socket.id", edits: { 'index.ts': [['socket.join(userRoom(nickname));', 'socket.join(userRoom(socket.id));']] }, fails: /ivan-P to receive the private message heidi-P sent him\n.*on connection, socket\.join\(`user:\$\{nickname\}`\)/, caughtBy: ['private-message'] },
    { name: 'private messages to anyone, online or not', edits: { 'index.ts': [[/ *if \(!onlineNicknames\(\)\.includes\(to\)\).*\n/, '']] }, fails: /"nobody-here", who never came to be refused[\s\S]*onlineNicknames\(\)\.includes\(to\)/, caughtBy: ['dm-offline'] },
    { name: 'names in #online that are not buttons', edits: { 'index.html': [["            const button = document.createElement('button');\n            button.type = 'button';\n            button.textContent = nickname;\n            item.appendChild(button);\n", '            item.textContent = nickname;\n']] }, fails: /#online holds no button "rosa-D"/, caughtBy: ['page-private'] },
    { name: 'rooms not joined again after a reconnection', edits: { 'index.html': [["        for (const room of joined) socket.emit('join room', room);\n", '']] }, fails: /the server refused its message \("Join #random first\."\): a new connection is in #general only, so on 'connect' the page should emit 'join room'/, caughtBy: ['page-rooms'] },
    {
      name: 'private messages whose text is never checked',
      edits: { 'index.ts': [["    if (!isText(text)) return answer({ ok: false, error: notText });\n    if (!withinRate()) return answer({ ok: false, error: tooFast });\n    // Who", "    if (!withinRate()) return answer({ ok: false, error: tooFast });\n    // Who"]] },
      fails: /a private message to ivan-P whose text is a number to be refused[\s\S]*check the text as for a message/,
      caughtBy: ['private-message'],
    },
    {
      name: 'private messages checked to be strings only',
      edits: { 'index.ts': [["    if (!isText(text)) return answer({ ok: false, error: notText });\n    if (!withinRate()) return answer({ ok: false, error: tooFast });\n    // Who", "    if (typeof text !== 'string') return answer({ ok: false, error: notText });\n    if (!withinRate()) return answer({ ok: false, error: tooFast });\n    // Who"]] },
      fails: /a private message to ivan-P whose text is only spaces to be refused/,
      caughtBy: ['private-message'],
    },
    {
      name: 'private messages not rate-limited',
      edits: { 'index.ts': [["    if (!isText(text)) return answer({ ok: false, error: notText });\n    if (!withinRate()) return answer({ ok: false, error: tooFast });\n    // Who", "    if (!isText(text)) return answer({ ok: false, error: notText });\n    // Who"]] },
      fails: /the rate limit to refuse some of ten private messages sent at once[\s\S]*if \(!withinRate\(\)\) return/,
      caughtBy: ['private-message'],
    },
    {
      name: 'the text of private messages in the log',
      edits: { 'index.ts': [['console.log(`private message from ${nickname} to ${to}`);', 'console.log(`private message from ${nickname} to ${to}: ${text}`);']] },
      fails: /the log to say who wrote to whom, but not what[\s\S]*your server printed "private message from heidi-P to ivan-P: psst, ivan 8"/,
      caughtBy: ['private-message'],
    },
    { name: 'no notice when someone joins a room', edits: { 'index.ts': [["      socket.to(room).emit('notice', `${nickname} joined #${room}`);\n", '']] }, fails: /erin-J, in #help, to get a notice such as "dave-J joined #help" when dave-J joins it/, caughtBy: ['join-leave'] },
    { name: 'no notice when someone leaves a room', edits: { 'index.ts': [["      socket.to(room).emit('notice', `${nickname} left #${room}`);\n", '']] }, fails: /erin-J, in #help, to get a notice such as "dave-J left #help" when dave-J leaves it/, caughtBy: ['join-leave'] },
    {
      name: 'a notice each time, whether in the room already or not',
      edits: {
        'index.ts': [
          ["    if (!socket.rooms.has(room)) {\n      socket.join(room);\n      socket.to(room).emit('notice', `${nickname} joined #${room}`);\n    }\n", "    socket.join(room);\n    socket.to(room).emit('notice', `${nickname} joined #${room}`);\n"],
        ],
      },
      fails: /one notice when dave-J joins #help and one when he leaves it[\s\S]*erin-J got \["dave-J joined #help","dave-J joined #help","dave-J left #help"\]/,
      caughtBy: ['join-leave'],
    },
    { name: 'the join notice sent to everyone', edits: { 'index.ts': [["socket.to(room).emit('notice', `${nickname} joined #${room}`);", "socket.broadcast.emit('notice', `${nickname} joined #${room}`);"]] }, fails: /fay-J, only in #general, got "dave-J joined #help"/, caughtBy: ['join-leave'] },
    { name: 'the join notice sent to the joiner too', edits: { 'index.ts': [["socket.to(room).emit('notice', `${nickname} joined #${room}`);", "io.to(room).emit('notice', `${nickname} joined #${room}`);"]] }, fails: /dave-J himself got "dave-J joined #help"/, caughtBy: ['join-leave'] },
    {
      name: 'any room name may be left',
      edits: { 'index.ts': [["  socket.on('leave room', (room: unknown, reply: unknown) => {\n    const answer = replyTo(reply);\n    if (!isRoom(room))", "  socket.on('leave room', (room: unknown, reply: unknown) => {\n    const answer = replyTo(reply);\n    if (typeof room !== 'string')"]] },
      fails: /"leave room" with a room that does not exist, "secret-lair" to be refused/,
      caughtBy: ['bad-requests'],
    },
    {
      name: "a room message ends its author's typing in that room only",
      edits: { 'index.ts': [["    socket.broadcast.emit('stop typing', nickname);\n    // Everyone in the room", "    socket.to(room).emit('stop typing', nickname);\n    // Everyone in the room"]] },
      fails: /bob-I, outside #random, to receive "stop typing" with "alice-I" once the server relayed her message to #random/,
      caughtBy: ['room-isolation'],
    },
    { name: 'typing no longer relayed', edits: { 'index.ts': [["  socket.on('typing', () => socket.broadcast.volatile.emit('typing', nickname));\n", '']] }, fails: /bob-I to receive "typing" with "alice-I" when alice-I types, whatever rooms they are in/, caughtBy: ['room-isolation'] },
    {
      name: 'a Leave button that does nothing',
      edits: { 'index.html': [["      leave.addEventListener('click', () => {\n        const { room } = target;\n        socket.emit('leave room', room, (answer) => {\n          if (answer.ok) joined.delete(room);\n          else show(answer.error, 'error');\n          showTarget();\n        });\n      });\n", '']] },
      fails: /a click on Leave, while the page writes to #random, to leave #random[\s\S]*on a click on the Leave button, emit 'leave room'/,
      caughtBy: ['page-rooms'],
    },
    { name: 'its own messages shown without their room', edits: { 'index.html': [["show(`[#${target.room}] ${socket.auth.nickname}: ${text}`, 'mine');", "show(`${socket.auth.nickname}: ${text}`, 'mine');"]] }, fails: /the page to show its own message with its room/, caughtBy: ['page-rooms'] },
    {
      name: 'notices worded otherwise and sent before joining or leaving, the private text checked first, a log of its own',
      edits: {
        'index.ts': [
          ["      socket.join(room);\n      socket.to(room).emit('notice', `${nickname} joined #${room}`);\n", "      socket.to(room).emit('notice', `${nickname} is now in #${room}`);\n      socket.join(room);\n"],
          ["      socket.leave(room);\n      socket.to(room).emit('notice', `${nickname} left #${room}`);\n", "      socket.to(room).emit('notice', `#${room}: goodbye, ${nickname}`);\n      socket.leave(room);\n"],
          ["    if (typeof to !== 'string' || to === '') return", "    if (!isText(text)) return answer({ ok: false, error: notText });\n    if (typeof to !== 'string' || to === '') return"],
          ['console.log(`private message from ${nickname} to ${to}`);', 'console.log(`[pm] ${nickname} -> ${to} (${text.length} characters)`);'],
        ],
      },
    },
    { name: 'received messages without their room', edits: { 'index.html': [['show(`[#${room}] ${author}: ${text}`);', 'show(`${author}: ${text}`);']] }, fails: /the page to show "pat answers 15" with its author and its room/, caughtBy: ['page-rooms'] },
    {
      name: 'Leave that never forgets the room it left',
      edits: { 'index.html': [['if (answer.ok) joined.delete(room);', 'if (answer.ok) showTarget();']] },
      fails: /the ✓ of "#random" to go once the page left #random[\s\S]*joined\.delete\(room\), then showTarget\(\)/,
      caughtBy: ['page-rooms'],
    },
    {
      name: 'a private message sent, but not shown in its own page',
      edits: { 'index.html': [["            show(`[private] to ${target.to}: ${text}`, 'mine private');\n", '']] },
      fails: /the page to show its own private message with whom it went to/,
      caughtBy: ['page-private'],
    },
  ],
  survivors: [
    { file: 'index.html', code: "'general'", mutant: '""', why: 'joined already holds #general from the start, so the page asks the server to join a room named "" (refused, unanswered) and loses nothing' },
    { file: 'index.html', code: '!room', mutant: 'false', why: "a click in #rooms outside a room's button (the gap between them, or Leave) makes the target no room; the lesson does not say where a message typed right after Leave goes, and the server refuses it either way" },
    { file: 'index.html', code: '!joined.has(room)', mutant: 'true', why: 'asking to join a room the page is in already changes nothing and tells no one (R5), so the page may ask every time' },
    { file: 'index.html', code: 'answer.ok', mutant: 'true', why: "the page offers only the three rooms the server accepts: a join or a leave of them is never refused, so the refusal's branch never runs" },
    { file: 'index.html', code: "'error'", mutant: '""', why: "the refusal's text is shown either way; its colour is the page's style, not something the lesson asks for" },
    { file: 'index.html', code: 'input.focus();', mutant: ';', why: "focusing the message field after a click is a comfort the lesson's code has, not something it asks for" },
    { file: 'index.html', code: '!button', mutant: 'false', why: "a click in #online outside a name's button throws in the listener and does nothing else; the checks click names, as people do" },
    { file: 'index.html', code: "'mine private'", mutant: '""', why: `a private message the page sent still reads "[private] to …" (checked); its colour is the page's style` },
    { file: 'index.html', code: "'mine'", mutant: '""', why: "showing one's own lines apart is step 06's requirement, checked there; lesson 09 adds the room to them (checked)" },
    { file: 'index.html', code: "'private'", mutant: '""', why: `a private message received still reads "[private] from …" (checked); its colour is the page's style` },
    { file: 'index.html', code: "'button'", mutant: '""', why: 'a <button> outside a form submits nothing whatever its type: the same button' },
    { file: 'index.ts', code: "typeof to !== 'string' || to === ''", mutant: 'false', why: 'a message with no recipient is refused all the same a few lines later, as someone who is not online (R14 asks for a refusal with a reason, which it gets)' },
    { file: 'index.ts', code: "typeof to !== 'string' || to === ''", mutant: "typeof to !== 'string' && to === ''", why: 'a message with no recipient is refused all the same a few lines later, as someone who is not online' },
    { file: 'index.ts', code: "typeof to !== 'string'", mutant: 'false', why: 'a recipient that is not a string is refused all the same a few lines later, as someone who is not online' },
    { file: 'index.ts', code: "to === ''", mutant: 'false', why: 'an empty recipient is refused all the same a few lines later, as someone who is not online' },
    { file: 'index.ts', code: "''", mutant: '"Stryker was here!"', why: 'an empty recipient is refused all the same a few lines later, as someone who is not online' },
    { file: 'index.ts', code: '`private message from ${nickname} to ${to}`', mutant: '``', why: 'what the server logs of a private message is up to it; the lesson asks only that its text stay out (checked)' },
  ],
};
