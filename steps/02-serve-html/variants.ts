// Step 02 as learners may write it: wrong ways fail with the message that helps, right ways
// pass, whatever their style. Run by checker/test/variants.test.ts.
import type { StepVariants } from '../../checker/checks/check.ts';

export const variants: StepVariants = {
  cases: [
    { name: 'new URL(…).pathname', edits: { 'index.ts': [["fileURLToPath(new URL('./index.html', import.meta.url))", "new URL('./index.html', import.meta.url).pathname"]] } },
    { name: 'a relative path for sendFile', edits: { 'index.ts': [["fileURLToPath(new URL('./index.html', import.meta.url))", "'index.html'"]] }, fails: /needs an absolute path/, caughtBy: ['serves-index-html'] },
    { name: 'no text field', edits: { 'index.html': [[/<input id="input"[^>]*>/, '']] }, fails: /a text field <input id="input">.*\n.*there is none/, caughtBy: ['chat-elements'] },
  ],
};
