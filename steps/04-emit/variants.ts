// Step 04 as learners may write it: wrong ways fail with the message that helps, right ways
// pass, whatever their style. Run by checker/test/variants.test.ts.
import type { StepVariants } from '../../checker/checks/check.ts';

export const variants: StepVariants = {
  cases: [
    { name: 'a wrong event name in the page', edits: { 'index.html': [["socket.emit('chat message'", "socket.emit('chat-message'"]] }, fails: /nothing arrived/, caughtBy: ['page-emits'] },
    { name: 'no preventDefault', edits: { 'index.html': [['event.preventDefault();', '']] }, fails: /the page reloaded/, caughtBy: ['page-emits'] },
    { name: 'empty messages sent', edits: { 'index.html': [['if (input.value) {', 'if (true) {']] }, fails: /nothing to be sent when the field is empty/, caughtBy: ['no-empty-messages'] },
  ],
};
