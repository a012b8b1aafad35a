// Learners' code that differs from the reference: wrong ways fail with the message that helps,
// right ways pass, whatever their style.
import { afterAll, describe, expect, test } from 'vitest';
import { runKit } from './helpers/run-kit.ts';
import { leftRunning, makeVariant, type Edits, type Variant } from './helpers/variant.ts';

interface Case {
  name: string;
  step: string;
  edits: Edits;
  /** What the learner must read; absent for a variant that must pass. */
  fails?: RegExp;
  /** For a variant that passes: what it must say all the same. */
  says?: RegExp;
}

const listen = "server.listen(port, () => {";

const cases: Case[] = [
  // Step 01
  { name: 'app.listen instead of createServer', step: '01-hello-express', edits: { 'index.ts': [['const server = createServer(app);\n', ''], [listen, 'app.listen(port, () => {']] } },
  { name: 'a hard-coded port 3000 and a cheerier heading', step: '01-hello-express', edits: { 'index.ts': [['server.listen(port,', 'server.listen(3000,'], ['<h1>Hello world</h1>', '<h1>Hello, World!</h1>']] } },
  {
    name: 'a type error, which is reported but does not fail the step',
    step: '01-hello-express',
    edits: { 'index.ts': [['const port = Number(process.env.PORT) || 3000;', 'const port: string = Number(process.env.PORT) || 3000;']] },
    says: /TypeScript found a type error\..*\n.*checker\/test\/tmp-[^/]+\/index\.ts:\d+:7  Type 'number' is not assignable to type 'string'\./,
  },
  { name: 'no heading', step: '01-hello-express', edits: { 'index.ts': [['<h1>Hello world</h1>', 'Hello world']] }, fails: /the page to be <h1>Hello world<\/h1>/ },
  { name: 'a route that never answers', step: '01-hello-express', edits: { 'index.ts': [["res.send('<h1>Hello world</h1>');", '']] }, fails: /your server did not answer within 2 s/ },
  { name: 'no log line', step: '01-hello-express', edits: { 'index.ts': [[/console\.log\(.*\);/, '']] }, fails: /a log line with the address/ },
  // Step 02
  { name: 'new URL(…).pathname', step: '02-serve-html', edits: { 'index.ts': [["fileURLToPath(new URL('./index.html', import.meta.url))", "new URL('./index.html', import.meta.url).pathname"]] } },
  { name: 'a relative path for sendFile', step: '02-serve-html', edits: { 'index.ts': [["fileURLToPath(new URL('./index.html', import.meta.url))", "'index.html'"]] }, fails: /needs an absolute path/ },
  { name: 'no text field', step: '02-serve-html', edits: { 'index.html': [[/<input id="input"[^>]*>/, '']] }, fails: /a text field <input id="input">.*\n.*there is none/ },
  // Step 03
  { name: 'a louder log line', step: '03-connect', edits: { 'index.ts': [["console.log('a user connected');", "console.log('A user connected!', new Date().toISOString());"]] } },
  { name: 'the script tag missing', step: '03-connect', edits: { 'index.html': [['<script src="/socket.io/socket.io.js"></script>', '']] }, fails: /io is not defined.*add <script src="\/socket\.io\/socket\.io\.js">/ },
  { name: 'app.listen, which leaves Socket.IO out', step: '03-connect', edits: { 'index.ts': [[listen, 'app.listen(port, () => {']] }, fails: /server\.listen, not app\.listen/ },
  { name: 'disconnect logged at once', step: '03-connect', edits: { 'index.ts': [["socket.on('disconnect', () => {\n    console.log('user disconnected');\n  });", "console.log('user disconnected');"]] }, fails: /logged while the page was still open/ },
  // Step 04
  { name: 'a wrong event name in the page', step: '04-emit', edits: { 'index.html': [["socket.emit('chat message'", "socket.emit('chat-message'"]] }, fails: /nothing arrived/ },
  { name: 'no preventDefault', step: '04-emit', edits: { 'index.html': [['event.preventDefault();', '']] }, fails: /the page reloaded/ },
  { name: 'empty messages sent', step: '04-emit', edits: { 'index.html': [['if (input.value) {', 'if (true) {']] }, fails: /nothing to be sent when the field is empty/ },
  // Step 05
  { name: 'io.sockets.emit and a trimmed message', step: '05-broadcast', edits: { 'index.ts': [["io.emit('chat message', text);", "io.sockets.emit('chat message', text.trim());"]] } },
  {
    name: 'the server from app.listen, an extra route, a hard-coded port and more logs',
    step: '05-broadcast',
    edits: {
      'index.ts': [
        ['const server = createServer(app);\n', ''],
        ['const io = new Server<ClientToServerEvents, ServerToClientEvents>(server);\n', ''],
        ["app.get('/', (req, res) => {", "app.get('/health', (req, res) => {\n  res.json({ ok: true });\n});\n\napp.get('/', (req, res) => {"],
        ['io.on(', "const server = app.listen(3000, () => console.log('Listening on http://localhost:3000 — have fun!'));\nconst io = new Server<ClientToServerEvents, ServerToClientEvents>(server);\n\nio.on("],
        [/server\.listen\(port, \(\) => \{\n.*\n\}\);\n/, ''],
        ["console.log(`message: ${text}`);", "console.log(`message: ${text}`, socket.id);"],
      ],
      'index.html': [['#messages { list-style: none;', '#messages { list-style: none; font-family: monospace;']],
    },
  },
  { name: 'a sender-only emit', step: '05-broadcast', edits: { 'index.ts': [["io.emit('chat message', text);", "socket.emit('chat message', text);"]] }, fails: /only the sender got it back/ },
  { name: 'everyone but the sender', step: '05-broadcast', edits: { 'index.ts': [["io.emit('chat message', text);", "socket.broadcast.emit('chat message', text);"]] }, fails: /everyone but the sender got it/ },
  { name: 'a wrong event name on the server', step: '05-broadcast', edits: { 'index.ts': [["io.emit('chat message', text);", "io.emit('chat' as 'chat message', text);"]] }, fails: /it got "chat" instead/ },
  { name: 'innerHTML', step: '05-broadcast', edits: { 'index.html': [['item.textContent = text;', 'item.innerHTML = text;']] }, fails: /never item\.innerHTML/ },
  // Step 06
  { name: 'io.except(socket.id) instead of socket.broadcast', step: '06-notices', edits: { 'index.ts': [[/socket\.broadcast\.emit/g, 'io.except(socket.id).emit']] } },
  {
    name: 'other words for the notices, decorated in the page, and the own message shown after emitting',
    step: '06-notices',
    edits: {
      'index.ts': [
        ["'a user joined'", "'Someone has joined the chat 👋'"],
        ["'a user left'", "'Somebody LEFT.'"],
      ],
      'index.html': [
        ["show(text, 'notice')", 'show(`— ${text} —`, \'notice\')'],
        ["          show(input.value, 'mine');\n          socket.emit('chat message', input.value);", "          socket.emit('chat message', input.value);\n          show(input.value, 'mine');"],
      ],
    },
  },
  { name: 'io.emit for the join notice', step: '06-notices', edits: { 'index.ts': [["socket.broadcast.emit('notice', 'a user joined');", "io.emit('notice', 'a user joined');"]] }, fails: /it got "a user joined" about itself: io\.emit sends to every client, the newcomer included/ },
  { name: 'a misspelt notice event', step: '06-notices', edits: { 'index.ts': [["socket.broadcast.emit('notice', 'a user joined');", "socket.broadcast.emit('notify' as 'notice', 'a user joined');"]] }, fails: /only "notify": the event must be called "notice"/ },
  { name: 'no notice on disconnect', step: '06-notices', edits: { 'index.ts': [["    socket.broadcast.emit('notice', 'a user left');\n", '']] }, fails: /they got no notice: in socket\.on\('disconnect', …\)/ },
  { name: 'io.emit for messages, which echoes them to the sender', step: '06-notices', edits: { 'index.ts': [["socket.broadcast.emit('chat message', text);", "io.emit('chat message', text);"]] }, fails: /"first from alice" came back to the client that sent it, so its page would show it twice/ },
  { name: 'the page waits for an echo that no longer comes', step: '06-notices', edits: { 'index.html': [["          show(input.value, 'mine');\n", '']] }, fails: /the page must show its own itself: call show\(input\.value, 'mine'\)/ },
  { name: 'notices not shown in the page', step: '06-notices', edits: { 'index.html': [["      socket.on('notice', (text) => show(text, 'notice'));\n", '']] }, fails: /listen with socket\.on\('notice', \(text\) => show\(text, 'notice'\)\)/ },
  { name: "socket.broadcast('notice', …), which throws when a client leaves", step: '06-notices', edits: { 'index.ts': [["socket.broadcast.emit('notice', 'a user left');", "(socket.broadcast as unknown as (event: string, text: string) => void)('notice', 'a user left');"]] }, fails: /your server stopped[^"]*after "TypeError: socket\.broadcast is not a function"/ },
  { name: "the old 'chat message' listener kept beside the new one", step: '06-notices', edits: { 'index.html': [["      socket.on('chat message', (text) => show(text));\n", "      socket.on('chat message', (text) => show(text));\n      socket.on('chat message', (text) => show(text));\n"]] }, fails: /is the old 'chat message' listener still there beside the new one\?/ },
  { name: 'innerHTML in show()', step: '06-notices', edits: { 'index.html': [['item.textContent = text;', 'item.innerHTML = text;']] }, fails: /in show\(\), set item\.textContent, never item\.innerHTML/ },
  // Step 08
  {
    name: 'a shorter pause, and typing relayed without volatile',
    step: '08-typing',
    edits: {
      'index.ts': [["socket.broadcast.volatile.emit('typing', nickname)", "socket.broadcast.emit('typing', nickname)"]],
      'index.html': [['const pauseMs = 1000;', 'const pauseMs = 800;']],
    },
  },
  {
    name: "keydown and timestamps, as in Socket.IO's own chat demo, and three dots",
    step: '08-typing',
    edits: {
      'index.html': [
        [
          /input\.addEventListener\('input', \(\) => \{[\s\S]*?\n {6}\}\);\n/,
          "let lastKeyAt = 0;\n      let typingAt = 0;\n      input.addEventListener('keydown', () => {\n        if (!typing || Date.now() - typingAt > 2500) {\n          typing = true;\n          typingAt = Date.now();\n          socket.emit('typing');\n        }\n        lastKeyAt = Date.now();\n        setTimeout(() => {\n          if (Date.now() - lastKeyAt >= pauseMs) stopTyping();\n        }, pauseMs);\n      });\n",
        ],
        ['is typing…`', 'is typing...`'],
      ],
    },
  },
  { name: 'typing sent to everyone, the typer included', step: '08-typing', edits: { 'index.ts': [["socket.broadcast.volatile.emit('typing', nickname)", "io.volatile.emit('typing', nickname)"]] }, fails: /bob received "typing" with \["bob"\] about himself/ },
  { name: 'not cleared on send', step: '08-typing', edits: { 'index.ts': [[/\n *\/\/ Sending ends typing.*\n *socket\.broadcast\.emit\('stop typing', nickname\);/, '']] }, fails: /before relaying it, add socket\.broadcast\.emit\('stop typing', nickname\)/ },
  { name: 'not cleared on leave', step: '08-typing', edits: { 'index.ts': [[/(disconnected`\);\n.*\n) *socket\.broadcast\.emit\('stop typing', nickname\);\n/, '$1']] }, fails: /in socket\.on\('disconnect', …\), add socket\.broadcast\.emit\('stop typing', nickname\)/ },
  { name: "'typing' on every keystroke", step: '08-typing', edits: { 'index.html': [['if (input.value && (!typing || Date.now() - typingSentAt >= typingAgainMs)) {', 'if (input.value) {']] }, fails: /5 keystrokes sent "typing" more than once/ },
  {
    name: "'typing' sent once however long the burst",
    step: '08-typing',
    edits: { 'index.html': [['if (input.value && (!typing || Date.now() - typingSentAt >= typingAgainMs)) {', 'if (input.value && !typing) {']] },
    fails: /a new "typing" about every 2 s while keys keep coming[\s\S]*keys pressed every 0\.3 s for 5 s sent "typing" once/,
  },
  {
    name: 'typers never forgotten without a stop typing',
    step: '08-typing',
    edits: { 'index.html': [['typers.set(nickname, setTimeout(forgetTyper, typingExpiryMs, nickname));', 'typers.set(nickname, undefined);']] },
    fails: /the line #typing to stop naming oscar about 5 s after the last "typing" from them[\s\S]*it still reads "oscar is typing…" 9 s later: on each 'typing', \(re\)start a timer for that typer/,
  },
  {
    name: 'typers not forgotten when the page reconnects',
    step: '08-typing',
    edits: { 'index.html': [[/\n {6}\/\/ #region forget-on-connect[\s\S]*?\/\/ #endregion\n/, '\n']] },
    fails: /the page, once it has reconnected, to stop showing victor as typing[\s\S]*the line still reads "victor is typing…" after the reconnection: in socket\.on\('connect', …\), forget every typer/,
  },
  {
    name: 'when each typer was last heard, in a Map swept every second, and the typers cleared in the join listener',
    step: '08-typing',
    edits: {
      'index.html': [
        [
          /function forgetTyper\(nickname\) \{[\s\S]*?socket\.on\('stop typing', \(nickname\) => forgetTyper\(nickname\)\);/,
          "function forgetTyper(nickname) {\n        typers.delete(nickname);\n        showTypers();\n      }\n      socket.on('typing', (nickname) => {\n        typers.set(nickname, Date.now());\n        showTypers();\n      });\n      socket.on('stop typing', forgetTyper);\n      setInterval(() => {\n        for (const [nickname, heardAt] of typers) if (Date.now() - heardAt >= typingExpiryMs) typers.delete(nickname);\n        showTypers();\n      }, 1000);",
        ],
        [/\n {6}\/\/ #region forget-on-connect[\s\S]*?\/\/ #endregion\n/, '\n'],
        ['        nickForm.hidden = true;\n', '        nickForm.hidden = true;\n        typers.clear();\n        showTypers();\n'],
      ],
    },
  },
  { name: 'typing not stopped on send', step: '08-typing', edits: { 'index.html': [['          stopTyping();\n          const text', '          const text']] }, fails: /call stopTyping\(\) in the form's submit listener/ },
  { name: 'innerHTML for the typing line', step: '08-typing', edits: { 'index.html': [['typingLine.textContent =', 'typingLine.innerHTML =']] }, fails: /Set typingLine\.textContent, never innerHTML/ },
  // Step 07
  {
    name: 'a Set of the nicknames online, a token bucket that counts every message, and another message layout',
    step: '07-nicknames',
    edits: {
      'index.ts': [
        ['// #region online', '/** The nicknames online, in lower case: reserved by the middleware, freed on disconnect. */\nconst taken = new Set<string>();\n\n// #region online'],
        [
          'const taken = onlineNicknames().some((other) => other.toLowerCase() === nickname.toLowerCase());\n  if (taken)',
          'if (taken.has(nickname.toLowerCase()))',
        ],
        ['  socket.data.nickname = nickname;\n', '  socket.data.nickname = nickname;\n  taken.add(nickname.toLowerCase());\n'],
        ["    console.log(`${nickname} disconnected`);\n", "    console.log(`${nickname} disconnected`);\n    taken.delete(nickname.toLowerCase());\n"],
        [
          /let windowStart[\s\S]*?return sentInWindow <= rateLimit;\n  \};/,
          'let tokens = rateLimit;\n  let refilledAt = Date.now();\n  const withinRate = () => {\n    const now = Date.now();\n    tokens = Math.min(rateLimit, tokens + ((now - refilledAt) * rateLimit) / rateWindowMs);\n    refilledAt = now;\n    if (tokens < 1) return false;\n    tokens -= 1;\n    return true;\n  };',
        ],
        ["    if (typeof text !== 'string'", "    if (!withinRate()) return answer({ ok: false, error: 'Slow down.' });\n    if (typeof text !== 'string'"],
        ["    if (!withinRate()) return answer({ ok: false, error: 'You are sending messages too fast: wait a moment.' });\n", ''],
      ],
      'index.html': [["show(`${author}: ${text}`)", 'show(`[${author}] ${text}`)']],
    },
  },
  { name: 'no length limit for nicknames', step: '07-nicknames', edits: { 'index.ts': [[/ {2}if \(nickname\.length > maxNicknameLength\).*\n/, '']] }, fails: /Expected the server to refuse a client with a nickname of 33 characters\n.*it let the client in/ },
  { name: 'nicknames compared case-sensitively', step: '07-nicknames', edits: { 'index.ts': [['other.toLowerCase() === nickname.toLowerCase()', 'other === nickname']] }, fails: /"aLICE-u" to be refused while "Alice-U" is online\n.*compare nicknames in lower case/ },
  { name: 'no list sent when someone leaves', step: '07-nicknames', edits: { 'index.ts': [[/ *\/\/ The socket is already out.*\n *io\.emit\('online', onlineNicknames\(\)\);\n/, '']] }, fails: /no new list came: in socket\.on\('disconnect', …\), io\.emit\('online', onlineNicknames\(\)\) too/ },
  { name: "the list sent from 'disconnecting', while the socket is still in it", step: '07-nicknames', edits: { 'index.ts': [["socket.on('disconnect', () => {", "socket.on('disconnecting', () => {"]] }, fails: /the new list still names Ben-L/ },
  { name: 'socket.id as the author', step: '07-nicknames', edits: { 'index.ts': [['{ author: nickname, text }', '{ author: socket.id, text }']] }, fails: /take it from the sender's socket\.data\.nickname/ },
  { name: 'no type check of the message', step: '07-nicknames', edits: { 'index.ts': [["typeof text !== 'string' || text.trim() === ''", "(text as string).trim() === ''"]] }, fails: /Expected the server to keep running after a client sent a number\n.*it stopped with "TypeError: .*trim is not a function"/ },
  { name: 'reply called without checking that there is one', step: '07-nicknames', edits: { 'index.ts': [["if (typeof reply === 'function') reply(value);", '(reply as (answer: Reply) => void)(value);']] }, fails: /after a client sent a number without a callback\n.*it stopped with "TypeError: .*is not a function"/ },
  { name: 'no rate limit', step: '07-nicknames', edits: { 'index.ts': [[/ *if \(!withinRate\(\)\).*\n/, '']] }, fails: /20 of them were accepted and none refused/ },
  {
    name: 'one rate limit shared by everyone',
    step: '07-nicknames',
    edits: { 'index.ts': [['  let windowStart = Date.now();\n  let sentInWindow = 0;\n', ''], ["io.on('connection', (socket) => {", "let windowStart = Date.now();\nlet sentInWindow = 0;\n\nio.on('connection', (socket) => {"]] },
    fails: /keep the count per connection/,
  },
  { name: "the server's refusal not shown in the page", step: '07-nicknames', edits: { 'index.html': [['nickError.textContent = error.message;', '']] }, fails: /on 'connect_error', put error\.message in #nick-error/ },
  // Step 09
  {
    name: 'the rooms in a Set, and io.to(room).except(socket.id)',
    step: '09-rooms',
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
    step: '09-rooms',
    edits: {
      'index.ts': [
        ['if (!onlineNicknames().includes(to))', "if (!io.of('/').adapter.rooms.has(userRoom(to)))"],
        ["io.to(userRoom(to)).emit('private message'", "socket.to(userRoom(to)).emit('private message'"],
      ],
      'index.html': [["show(`[private] from ${from}: ${text}`, 'private')", "show(`${from} whispers: ${text}`, 'private')"]],
    },
  },
  { name: 'room messages sent with io.emit', step: '09-rooms', edits: { 'index.ts': [["socket.to(room).emit('chat message'", "io.emit('chat message'"]] }, fails: /bob-I, who is only in #general, not to receive a message sent to #random\n.*io\.emit and socket\.broadcast\.emit reach everyone/ },
  { name: 'room messages still broadcast, as in the starter', step: '09-rooms', edits: { 'index.ts': [["socket.to(room).emit('chat message'", "socket.broadcast.emit('chat message'"]] }, fails: /socket\.to\(room\)\.emit reaches that room only/ },
  { name: 'room messages sent with io.to(room), echoed to the sender', step: '09-rooms', edits: { 'index.ts': [["socket.to(room).emit('chat message'", "io.to(room).emit('chat message'"]] }, fails: /alice-I got it back: io\.to\(room\) includes the sender/ },
  { name: 'no membership check', step: '09-rooms', edits: { 'index.ts': [[/ *if \(!socket\.rooms\.has\(room\)\) return.*\n/, '']] }, fails: /from frank-M, who never joined it, to be refused[\s\S]*check socket\.rooms\.has\(room\) first/ },
  { name: 'no socket.leave', step: '09-rooms', edits: { 'index.ts': [['      socket.leave(room);\n', '']] }, fails: /he still got one: in socket\.on\('leave room', …\), call socket\.leave\(room\)/ },
  { name: 'not put in #general on connection', step: '09-rooms', edits: { 'index.ts': [["  socket.join('general');\n", '']] }, fails: /from alice-I, who never left it, to be answered \{ ok: true \}\n.*"Join #general first\."\}: every new connection should be in #general, socket\.join\('general'\)/ },
  { name: 'private messages broadcast', step: '09-rooms', edits: { 'index.ts': [["io.to(userRoom(to)).emit('private message'", "socket.broadcast.emit('private message'"]] }, fails: /judy-P not to receive a private message meant for ivan-P/ },
  { name: "the user's room named after socket.id", step: '09-rooms', edits: { 'index.ts': [['socket.join(userRoom(nickname));', 'socket.join(userRoom(socket.id));']] }, fails: /ivan-P to receive the private message heidi-P sent him\n.*on connection, socket\.join\(`user:\$\{nickname\}`\)/ },
  { name: 'private messages to anyone, online or not', step: '09-rooms', edits: { 'index.ts': [[/ *if \(!onlineNicknames\(\)\.includes\(to\)\).*\n/, '']] }, fails: /"nobody-here", who never came to be refused[\s\S]*onlineNicknames\(\)\.includes\(to\)/ },
  { name: 'names in #online that are not buttons', step: '09-rooms', edits: { 'index.html': [["            const button = document.createElement('button');\n            button.type = 'button';\n            button.textContent = nickname;\n            item.appendChild(button);\n", '            item.textContent = nickname;\n']] }, fails: /#online holds no button "rosa-D"/ },
  { name: 'rooms not joined again after a reconnection', step: '09-rooms', edits: { 'index.html': [["        for (const room of joined) socket.emit('join room', room);\n", '']] }, fails: /the server refused its message \("Join #random first\."\): a new connection is in #general only, so on 'connect' the page should emit 'join room'/ },
  { name: 'received messages without their room', step: '09-rooms', edits: { 'index.html': [['show(`[#${room}] ${author}: ${text}`);', 'show(`${author}: ${text}`);']] }, fails: /the page to show "pat answers 15" with its author and its room/ },
];

const made: Variant[] = [];
afterAll(() => made.forEach((variant) => variant.remove()));

describe.each(cases)('$step: $name', ({ step, edits, fails, says }) => {
  test(fails ? 'fails with a helpful message' : 'passes', async () => {
    const variant = makeVariant(step, edits);
    made.push(variant);
    const run = await runKit(['check', String(Number(step.slice(0, 2))), '--dir', variant.dir]);
    if (fails) {
      expect(run.output).toMatch(fails);
      expect(run.code, run.output).toBe(1);
    } else {
      expect(run.output).toContain('✔ Step');
      if (says) expect(run.output).toMatch(says);
      expect(run.code, run.output).toBe(0);
    }
    expect(await leftRunning(variant.dir)).toBe('');
  });
});
