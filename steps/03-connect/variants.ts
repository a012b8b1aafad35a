// Step 03 as learners may write it: wrong ways fail with the message that helps, right ways
// pass, whatever their style. Run by checker/test/variants.test.ts.
import type { StepVariants } from '../../checker/checks/check.ts';

const listen = "server.listen(port, () => {";

export const variants: StepVariants = {
  cases: [
    { name: 'a louder log line', edits: { 'index.ts': [["console.log('a user connected');", "console.log('A user connected!', new Date().toISOString());"]] } },
    { name: 'the script tag missing', edits: { 'index.html': [['<script src="/socket.io/socket.io.js"></script>', '']] }, fails: /io is not defined.*add <script src="\/socket\.io\/socket\.io\.js">/, caughtBy: ['logs-connect'] },
    { name: 'app.listen, which leaves Socket.IO out', edits: { 'index.ts': [[listen, 'app.listen(port, () => {']] }, fails: /server\.listen, not app\.listen/, caughtBy: ['client-script'] },
    { name: 'disconnect logged at once', edits: { 'index.ts': [["socket.on('disconnect', () => {\n    console.log('user disconnected');\n  });", "console.log('user disconnected');"]] }, fails: /logged while the page was still open/, caughtBy: ['logs-disconnect'] },
  ],
};
