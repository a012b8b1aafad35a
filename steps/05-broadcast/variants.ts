// Step 05 as learners may write it: wrong ways fail with the message that helps, right ways
// pass, whatever their style. Run by checker/test/variants.test.ts.
import type { StepVariants } from '../../checker/checks/check.ts';

export const variants: StepVariants = {
  cases: [
    { name: 'io.sockets.emit and a trimmed message', edits: { 'index.ts': [["io.emit('chat message', text);", "io.sockets.emit('chat message', text.trim());"]] } },
    {
      name: 'the server from app.listen, an extra route, a hard-coded port and more logs',
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
    { name: 'a sender-only emit', edits: { 'index.ts': [["io.emit('chat message', text);", "socket.emit('chat message', text);"]] }, fails: /only the sender got it back/, caughtBy: ['everyone-receives'] },
    { name: 'everyone but the sender', edits: { 'index.ts': [["io.emit('chat message', text);", "socket.broadcast.emit('chat message', text);"]] }, fails: /everyone but the sender got it/, caughtBy: ['everyone-receives'] },
    { name: 'a wrong event name on the server', edits: { 'index.ts': [["io.emit('chat message', text);", "io.emit('chat' as 'chat message', text);"]] }, fails: /it got "chat" instead/, caughtBy: ['everyone-receives'] },
    { name: 'innerHTML', edits: { 'index.html': [['item.textContent = text;', 'item.innerHTML = text;']] }, fails: /never item\.innerHTML/, caughtBy: ['text-not-html'] },
    {
      name: 'a message with markup in it left out, rather than shown as text',
      edits: { 'index.html': [["socket.on('chat message', (text) => {\n", "socket.on('chat message', (text) => {\n        if (/[<>]/.test(text)) return;\n"]] },
      fails: /the page did not show it within 3 s \(the server sent it back to the sender\); its last messages are \["\(checker\) hello/,
      caughtBy: ['text-not-html'],
    },
  ],
};
