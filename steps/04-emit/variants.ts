// Step 04 as learners may write it: wrong ways fail with the message that helps, right ways
// pass, whatever their style. Run by checker/test/variants.test.ts.
import type { StepVariants } from '../../checker/checks/check.ts';

export const variants: StepVariants = {
  cases: [
    { name: 'a wrong event name in the page', edits: { 'index.html': [["socket.emit('chat message'", "socket.emit('chat-message'"]] }, fails: /the page sent "chat-message", and nothing on your server listens for it: the page and the server must use the same event name/, caughtBy: ['page-emits'] },
    {
      name: 'a wrong event name on the server',
      edits: { 'index.ts': [["socket.on('chat message',", "socket.on('chat-message' as 'chat message',"]] },
      fails: /your server got "chat message", and nothing listened for it on that client's socket: inside io\.on\('connection', \(socket\) => …\), add socket\.on\('chat message', …\)/,
      caughtBy: ['logs-messages'],
    },
    { name: 'no preventDefault', edits: { 'index.html': [['event.preventDefault();', '']] }, fails: /the page reloaded/, caughtBy: ['page-emits'] },
    { name: 'empty messages sent', edits: { 'index.html': [['if (input.value) {', 'if (true) {']] }, fails: /nothing to be sent when the field is empty/, caughtBy: ['no-empty-messages'] },
  ],
};
