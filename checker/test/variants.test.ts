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
      expect(run.code).toBe(1);
    } else {
      expect(run.output).toContain('passes');
      if (says) expect(run.output).toMatch(says);
      expect(run.code).toBe(0);
    }
    expect(leftRunning(variant.dir)).toBe('');
  });
});
