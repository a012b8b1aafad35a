// Step 08 as learners may write it: wrong ways fail with the message that helps, right ways
// pass, whatever their style. Run by checker/test/variants.test.ts.
import type { StepVariants } from '../../checker/checks/check.ts';

export const variants: StepVariants = {
  cases: [
    {
      name: 'a misspelt "stop typing" listener',
      edits: { 'index.ts': [["socket.on('stop typing',", "socket.on('stopTyping' as 'stop typing',"]] },
      fails: /the others to receive "stop typing" with the nickname when erin emits "stop typing"\n.*your server got "stop typing", and nothing listened for it/,
      caughtBy: ['stop-relayed'],
    },
    {
      name: 'a shorter pause, and typing relayed without volatile',
      edits: {
        'index.ts': [["socket.broadcast.volatile.emit('typing', nickname)", "socket.broadcast.emit('typing', nickname)"]],
        'index.html': [['const pauseMs = 1000;', 'const pauseMs = 800;']],
      },
    },
    {
      name: "keydown and timestamps, as in Socket.IO's own chat demo, and three dots",
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
    { name: 'typing sent to everyone, the typer included', edits: { 'index.ts': [["socket.broadcast.volatile.emit('typing', nickname)", "io.volatile.emit('typing', nickname)"]] }, fails: /bob received "typing" with \["bob"\]( \(\d+ times\))? about himself/, caughtBy: ['typing-relayed'] },
    { name: 'not cleared on send', edits: { 'index.ts': [[/\n *\/\/ Sending ends typing.*\n *socket\.broadcast\.emit\('stop typing', nickname\);/, '']] }, fails: /before relaying it, add socket\.broadcast\.emit\('stop typing', nickname\)/, caughtBy: ['cleared-on-send'] },
    { name: 'not cleared on leave', edits: { 'index.ts': [[/(disconnected`\);\n.*\n) *socket\.broadcast\.emit\('stop typing', nickname\);\n/, '$1']] }, fails: /in socket\.on\('disconnect', …\), add socket\.broadcast\.emit\('stop typing', nickname\)/, caughtBy: ['cleared-on-leave'] },
    { name: "'typing' on every keystroke", edits: { 'index.html': [['if (input.value && (!typing || Date.now() - typingSentAt >= typingAgainMs)) {', 'if (input.value) {']] }, fails: /5 keystrokes sent "typing" \d+ times/, caughtBy: ['page-sends-typing'] },
    {
      name: "'typing' sent once however long the burst",
      edits: { 'index.html': [['if (input.value && (!typing || Date.now() - typingSentAt >= typingAgainMs)) {', 'if (input.value && !typing) {']] },
      fails: /a new "typing" about every 2 s while keys keep coming[\s\S]*keys pressed every 0\.3 s for 5 s sent "typing" once/,
      caughtBy: ['page-repeats-typing'],
    },
    {
      name: 'typers never forgotten without a stop typing',
      edits: { 'index.html': [['typers.set(nickname, setTimeout(forgetTyper, typingExpiryMs, nickname));', 'typers.set(nickname, undefined);']] },
      fails: /the line #typing to stop naming oscar about 5 s after the last "typing" from them[\s\S]*it still reads "oscar is typing…" 9 s later: on each 'typing', \(re\)start a timer for that typer/,
      caughtBy: ['page-forgets-typing'],
    },
    {
      name: 'typers not forgotten when the page reconnects',
      edits: { 'index.html': [[/\n {6}\/\/ #region forget-on-connect[\s\S]*?\/\/ #endregion\n/, '\n']] },
      fails: /the page, once it has reconnected, to stop showing victor as typing[\s\S]*the line still reads "victor is typing…" after the reconnection: in socket\.on\('connect', …\), forget every typer/,
      caughtBy: ['page-clears-typing-on-reconnect'],
    },
    {
      // As on a machine so busy that the page came back after its own timer could have cleared
      // the line: that drop tells nothing, and the check must drop the page again to tell.
      name: 'typers not forgotten when the page reconnects, the first time 6 s after the drop',
      edits: {
        'index.html': [
          [/\n {6}\/\/ #region forget-on-connect[\s\S]*?\/\/ #endregion\n/, '\n'],
          [
            'const socket = io({ autoConnect: false });',
            "const socket = io({ autoConnect: false, reconnection: false });\n      let drops = 0;\n      socket.on('disconnect', (reason) => {\n        if (reason !== 'io client disconnect') setTimeout(() => socket.connect(), drops++ === 0 ? 6000 : 100);\n      });",
          ],
        ],
      },
      fails: /the page, once it has reconnected, to stop showing victor as typing[\s\S]*the line still reads "victor is typing…" after the reconnection/,
      caughtBy: ['page-clears-typing-on-reconnect'],
    },
    {
      name: 'when each typer was last heard, in a Map swept every second, and the typers cleared in the join listener',
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
    {
      name: "'stop typing' after a pause of 2 s",
      edits: { 'index.html': [['const pauseMs = 1000;', 'const pauseMs = 2000;']] },
      fails: /"stop typing" once the keystrokes pause for a second\n.*the page sent it 2\.\d s after the last keystroke/,
      caughtBy: ['page-sends-typing'],
    },
    { name: 'typing not stopped on send', edits: { 'index.html': [['          stopTyping();\n          const text', '          const text']] }, fails: /call stopTyping\(\) in the form's submit listener/, caughtBy: ['page-sends-typing'] },
    { name: 'innerHTML for the typing line', edits: { 'index.html': [['typingLine.textContent =', 'typingLine.innerHTML =']] }, fails: /Set typingLine\.textContent, never innerHTML/, caughtBy: ['page-shows-typing'] },
    {
      name: 'the typer shown their own "is typing…" in their page',
      edits: {
        'index.html': [
          ["          socket.volatile.emit('typing');\n", "          socket.volatile.emit('typing');\n          typers.set(socket.auth.nickname, setTimeout(forgetTyper, typingExpiryMs, socket.auth.nickname));\n          showTypers();\n"],
          ["          socket.emit('stop typing');\n", "          socket.emit('stop typing');\n          forgetTyper(socket.auth.nickname);\n"],
        ],
      },
      fails: /the page of the one who types never to show them as typing[\s\S]*her line #typing read "peggy is typing…"/,
      caughtBy: ['page-sends-typing'],
    },
    {
      name: 'one typer at a time on the line',
      edits: { 'index.html': [["      socket.on('typing', (nickname) => {\n        clearTimeout(typers.get(nickname));\n", "      socket.on('typing', (nickname) => {\n        for (const timer of typers.values()) clearTimeout(timer);\n        typers.clear();\n"]] },
      fails: /the line #typing to name both mallory and <img src=x onerror=alert\(1\)> while both type[\s\S]*Keep every typer/,
      caughtBy: ['page-shows-typing'],
    },
    {
      name: "a 'stop typing' that empties the whole line",
      edits: { 'index.html': [["socket.on('stop typing', (nickname) => forgetTyper(nickname));", "socket.on('stop typing', () => {\n        for (const timer of typers.values()) clearTimeout(timer);\n        typers.clear();\n        showTypers();\n      });"]] },
      fails: /the line #typing to still name mallory, who goes on typing, once <img src=x onerror=alert\(1\)> stopped\n.*it read "": on 'stop typing', forget that nickname only/,
      caughtBy: ['page-shows-typing'],
    },
    {
      name: "the typer's old timer not cleared on a new 'typing'",
      edits: { 'index.html': [["      socket.on('typing', (nickname) => {\n        clearTimeout(typers.get(nickname));\n", "      socket.on('typing', (nickname) => {\n"]] },
      fails: /the line #typing to keep naming oscar while "typing" keeps coming from him every 2 s[\s\S]*was still running: on each 'typing', clear the typer's timer before you set a new one, and in forgetTyper\(\) too/,
      caughtBy: ['page-forgets-typing'],
    },
    {
      name: "forgetTyper() leaves the typer's timer running",
      edits: { 'index.html': [["      function forgetTyper(nickname) {\n        clearTimeout(typers.get(nickname));\n", "      function forgetTyper(nickname) {\n"]] },
      fails: /the line #typing to keep naming oscar while "typing" keeps coming from him every 2 s[\s\S]*his first "typing", before he stopped, was still running/,
      caughtBy: ['page-forgets-typing'],
    },
    {
      name: 'the line written for one or several typers only, so " are typing…" when nobody types',
      edits: { 'index.html': [["names.length === 0 ? '' : names.length === 1", "names.length === 1"]] },
      fails: /the line #typing to say nothing of typing once nobody types[\s\S]*a sentence with no name in it/,
      caughtBy: ['page-shows-typing'],
    },
    {
      name: 'typers forgotten after 1 s, before the next typing comes',
      edits: { 'index.html': [['const typingExpiryMs = 5000;', 'const typingExpiryMs = 1000;']] },
      fails: /the line #typing to keep naming oscar while "typing" keeps coming from him every 2 s[\s\S]*a page must wait well over the 2 s between two "typing"/,
      caughtBy: ['page-forgets-typing'],
    },
    {
      name: 'the pause timer started once per burst, not pushed back by each key',
      edits: {
        'index.html': [
          [
            "          socket.volatile.emit('typing');\n        }\n        clearTimeout(pause);\n        pause = setTimeout(stopTyping, input.value ? pauseMs : 0);\n",
            "          socket.volatile.emit('typing');\n          clearTimeout(pause);\n          pause = setTimeout(stopTyping, pauseMs);\n        }\n",
          ],
        ],
      },
      fails: /no "stop typing" while keys keep coming: each keystroke pushes the pause of a second back[\s\S]*clearTimeout\(pause\); pause = setTimeout\(stopTyping, 1000\)/,
      caughtBy: ['page-repeats-typing'],
    },
    {
      name: "the typer's name taken from what the client sends with 'typing'",
      edits: { 'index.ts': [["socket.on('typing', () => socket.broadcast.volatile.emit('typing', nickname));", "socket.on('typing', (...args: unknown[]) => socket.broadcast.volatile.emit('typing', typeof args[0] === 'string' ? args[0] : nickname));"]] },
      fails: /bob emitted "typing" with "carol", and alice received "typing" with \["carol"\]: the server passed on the name the client sent/,
      caughtBy: ['typing-relayed'],
    },
    {
      name: "the name taken from what the client sends with 'stop typing'",
      edits: { 'index.ts': [["socket.on('stop typing', () => socket.broadcast.emit('stop typing', nickname));", "socket.on('stop typing', (who?: unknown) => socket.broadcast.emit('stop typing', typeof who === 'string' ? who : nickname));"]] },
      fails: /erin emitted "stop typing" with "carol", and dave received "stop typing" with \["carol"\]: the server passed on the name the client sent/,
      caughtBy: ['stop-relayed'],
    },
    {
      name: "typing ended by a message the server refuses",
      edits: {
        'index.ts': [
          [/\n *\/\/ Sending ends typing.*\n *socket\.broadcast\.emit\('stop typing', nickname\);/, ''],
          ["    if (typeof text !== 'string' || text.trim() === '')", "    socket.broadcast.emit('stop typing', nickname);\n    if (typeof text !== 'string' || text.trim() === '')"],
        ],
      },
      fails: /a message the server refuses not to end its author's typing[\s\S]*emit 'stop typing' once the message passed every test/,
      caughtBy: ['cleared-on-send'],
    },
    {
      name: "typing relayed with io.except(socket.id), 'stop typing' sent after the message",
      edits: {
        'index.ts': [
          [/\n *\/\/ Sending ends typing.*\n *socket\.broadcast\.emit\('stop typing', nickname\);/, ''],
          ["    socket.broadcast.emit('chat message', { author: nickname, text });\n", "    socket.broadcast.emit('chat message', { author: nickname, text });\n    io.except(socket.id).emit('stop typing', nickname);\n"],
          ["socket.broadcast.volatile.emit('typing', nickname)", "io.except(socket.id).volatile.emit('typing', nickname)"],
        ],
      },
    },
    {
      name: 'the typers in a plain object, and the line worded otherwise',
      edits: {
        'index.html': [
          [
            /const typers = new Map\(\);[\s\S]*?socket\.on\('stop typing', \(nickname\) => forgetTyper\(nickname\)\);/,
            "const typers = {};\n      function showTypers() {\n        const names = Object.keys(typers);\n        typingLine.textContent = names.length ? `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} typing...` : '';\n      }\n      function forgetTyper(nickname) {\n        clearTimeout(typers[nickname]);\n        delete typers[nickname];\n        showTypers();\n      }\n      socket.on('typing', (nickname) => {\n        clearTimeout(typers[nickname]);\n        typers[nickname] = setTimeout(() => forgetTyper(nickname), typingExpiryMs);\n        showTypers();\n      });\n      socket.on('stop typing', forgetTyper);",
          ],
          ["        for (const timer of typers.values()) clearTimeout(timer);\n        typers.clear();\n", "        for (const nickname of Object.keys(typers)) forgetTyper(nickname);\n"],
        ],
      },
    },
  ],
  survivors: [
    { file: 'index.html', code: 'false', mutant: 'true', why: "starting as if a burst were on changes nothing seen: the first keystroke still sends 'typing' (typingSentAt is 0, long ago), and a stray 'stop typing' names nobody on anyone's line" },
    { file: 'index.html', code: 'clearTimeout(pause);', mutant: ';', why: 'stopTyping() called by a submit leaves the pause timer running; when it fires, typing is already false and it sends nothing' },
    { file: 'index.html', code: 'typing', mutant: 'true', why: "an extra 'stop typing' for someone who had already stopped changes no page: the lesson asks for one after each pause, which still comes" },
    { file: 'index.html', code: 'Date.now() - typingSentAt >= typingAgainMs', mutant: 'Date.now() - typingSentAt > typingAgainMs', why: "a keystroke exactly 2,000 ms after the last 'typing': no check can time keys to the millisecond" },
    { file: 'index.html', code: 'forgetTyper(author);', mutant: ';', why: "against a correct server the line is cleared all the same: the server sends 'stop typing' with every message it relays (R5), and no check can keep that from the page" },
    { file: 'index.html', code: "''", mutant: '"Stryker was here!"', why: 'a fixed text while nobody types, as a page that says "nobody is typing" would have; the lesson does not ask for an empty line, only that nobody be named' },
    { file: 'index.html', code: 'names.length === 1', mutant: 'false', why: `"mallory are typing…": the grammar of the line is the page's wording; the checks read names, not verbs` },
    { file: 'index.html', code: 'clearTimeout(timer);', mutant: ';', why: "a timer left from before a drop can cut a typer's next burst short once, within 5 s of the reconnection; the lesson asks that the page start again from nobody, which it does" },
  ],
};
