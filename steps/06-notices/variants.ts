// Step 06 as learners may write it: wrong ways fail with the message that helps, right ways
// pass, whatever their style. Run by checker/test/variants.test.ts.
import type { StepVariants } from '../../checker/checks/check.ts';

export const variants: StepVariants = {
  cases: [
    { name: 'io.except(socket.id) instead of socket.broadcast', edits: { 'index.ts': [[/socket\.broadcast\.emit/g, 'io.except(socket.id).emit']] } },
    {
      name: 'other words for the notices, decorated in the page, and the own message shown after emitting',
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
    { name: 'io.emit for the join notice', edits: { 'index.ts': [["socket.broadcast.emit('notice', 'a user joined');", "io.emit('notice', 'a user joined');"]] }, fails: /it got "a user joined" about itself: io\.emit sends to every client, the newcomer included/, caughtBy: ['notices-join'] },
    { name: 'a misspelt notice event', edits: { 'index.ts': [["socket.broadcast.emit('notice', 'a user joined');", "socket.broadcast.emit('notify' as 'notice', 'a user joined');"]] }, fails: /only "notify": the event must be called "notice"/, caughtBy: ['notices-join'] },
    { name: 'no notice on disconnect', edits: { 'index.ts': [["    socket.broadcast.emit('notice', 'a user left');\n", '']] }, fails: /they got no notice: in socket\.on\('disconnect', …\)/, caughtBy: ['notices-leave'] },
    { name: 'io.emit for messages, which echoes them to the sender', edits: { 'index.ts': [["socket.broadcast.emit('chat message', text);", "io.emit('chat message', text);"]] }, fails: /"first from alice" came back to the client that sent it, so its page would show it twice/, caughtBy: ['others-receive'] },
    { name: 'the page waits for an echo that no longer comes', edits: { 'index.html': [["          show(input.value, 'mine');\n", '']] }, fails: /the page must show its own itself: call show\(input\.value, 'mine'\)/, caughtBy: ['page-shows-own'] },
    { name: 'notices not shown in the page', edits: { 'index.html': [["      socket.on('notice', (text) => show(text, 'notice'));\n", '']] }, fails: /listen with socket\.on\('notice', \(text\) => show\(text, 'notice'\)\)/, caughtBy: ['page-shows-notice'] },
    { name: "socket.broadcast('notice', …), which throws when a client leaves", edits: { 'index.ts': [["socket.broadcast.emit('notice', 'a user left');", "(socket.broadcast as unknown as (event: string, text: string) => void)('notice', 'a user left');"]] }, fails: /your server stopped[^"]*after "TypeError: socket\.broadcast is not a function"/, caughtBy: ['notices-leave'] },
    { name: "the old 'chat message' listener kept beside the new one", edits: { 'index.html': [["      socket.on('chat message', (text) => show(text));\n", "      socket.on('chat message', (text) => show(text));\n      socket.on('chat message', (text) => show(text));\n"]] }, fails: /is the old 'chat message' listener still there beside the new one\?/, caughtBy: ['page-shows-own'] },
    {
      name: "the 'disconnect' listener inside the 'chat message' one, so only a client that sent something is announced",
      edits: {
        'index.ts': [
          ["    socket.broadcast.emit('chat message', text);\n  });\n", "    socket.broadcast.emit('chat message', text);\n"],
          ["    socket.broadcast.emit('notice', 'a user left');\n  });\n", "    socket.broadcast.emit('notice', 'a user left');\n  });\n  });\n"],
        ],
      },
      fails: /every client still connected to get a "notice" that says someone left[\s\S]*they got no notice: in socket\.on\('disconnect', …\)/,
      caughtBy: ['notices-leave'],
    },
    { name: 'socket.emit for the join notice, which tells the newcomer only', edits: { 'index.ts': [["socket.broadcast.emit('notice', 'a user joined');", "socket.emit('notice', 'a user joined');"]] }, fails: /(the client already there was not told|only "a user joined" about its own arrival): socket\.emit answers the newcomer only/, caughtBy: ['notices-join'] },
    { name: 'io.emit for the leave notice, which the one who left no longer gets', edits: { 'index.ts': [["socket.broadcast.emit('notice', 'a user left');", "io.emit('notice', 'a user left');"]] } },
    { name: 'the own message shown like the others\' messages, without its kind', edits: { 'index.html': [["show(input.value, 'mine');", 'show(input.value);']] }, fails: /it looks just like a message from another client \(no class[^)]*\): show it with the kind 'mine'/, caughtBy: ['page-shows-own'] },
    { name: 'notices shown like chat messages, without their kind', edits: { 'index.html': [["show(text, 'notice')", 'show(text)']] }, fails: /"a user joined" looks just like a chat message \(no class[^)]*\): show it with the kind 'notice'/, caughtBy: ['page-shows-notice'] },
    {
      name: 'a class of its own for the own messages, and notices built apart with an inline style',
      edits: {
        'index.html': [
          ['#messages > li.mine { text-align: right; }', '#messages > li.me { text-align: right; color: #1864ab; }'],
          ["show(input.value, 'mine');", "show(input.value, 'me');"],
          [
            "socket.on('notice', (text) => show(text, 'notice'));",
            "socket.on('notice', (text) => {\n        const line = document.createElement('li');\n        line.textContent = text;\n        line.style.fontStyle = 'italic';\n        messages.appendChild(line);\n      });",
          ],
        ],
      },
    },
    { name: 'innerHTML in show()', edits: { 'index.html': [['item.textContent = text;', 'item.innerHTML = text;']] }, fails: /in show\(\), set item\.textContent, never item\.innerHTML/, caughtBy: ['text-not-html'] },
    { name: 'show() without scrolling', edits: { 'index.html': [['        messages.appendChild(item);\n        window.scrollTo(0, document.body.scrollHeight);\n      }', '        messages.appendChild(item);\n      }']] }, fails: /the page stayed at the top after 40 messages: in show\(\), call window\.scrollTo/, caughtBy: ['scrolls-down'] },
  ],
  survivors: [
    { file: 'index.html', code: 'kind', mutant: 'true', why: 'a line without a kind gets the class "undefined", which no style knows: it looks the same, nothing a learner could see' },
  ],
};
