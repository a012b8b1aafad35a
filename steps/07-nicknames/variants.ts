// Step 07 as learners may write it: wrong ways fail with the message that helps, right ways
// pass, whatever their style. Run by checker/test/variants.test.ts.
import type { StepVariants } from '../../checker/checks/check.ts';

export const variants: StepVariants = {
  cases: [
    {
      name: 'a Set of the nicknames online, a token bucket that counts every message, and another message layout',
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
    { name: 'no length limit for nicknames', edits: { 'index.ts': [[/ {2}if \(nickname\.length > maxNicknameLength\).*\n/, '']] }, fails: /Expected the server to refuse a client with a nickname of 33 characters\n.*it let the client in/, caughtBy: ['nickname-required'] },
    { name: 'nicknames compared case-sensitively', edits: { 'index.ts': [['other.toLowerCase() === nickname.toLowerCase()', 'other === nickname']] }, fails: /"aLICE-u" to be refused while "Alice-U" is online\n.*compare nicknames in lower case/, caughtBy: ['nickname-unique'] },
    { name: 'no list sent when someone leaves', edits: { 'index.ts': [[/ *\/\/ The socket is already out.*\n *io\.emit\('online', onlineNicknames\(\)\);\n/, '']] }, fails: /no new list came: in socket\.on\('disconnect', …\), io\.emit\('online', onlineNicknames\(\)\) too/, caughtBy: ['online-list'] },
    { name: "the list sent from 'disconnecting', while the socket is still in it", edits: { 'index.ts': [["socket.on('disconnect', () => {", "socket.on('disconnecting', () => {"]] }, fails: /the new list still names Ben-L/, caughtBy: ['online-list'] },
    { name: 'socket.id as the author', edits: { 'index.ts': [['{ author: nickname, text }', '{ author: socket.id, text }']] }, fails: /take it from the sender's socket\.data\.nickname/, caughtBy: ['author'] },
    { name: 'no type check of the message', edits: { 'index.ts': [["typeof text !== 'string' || text.trim() === ''", "(text as string).trim() === ''"]] }, fails: /Expected the server to keep running after a client sent a number\n.*it stopped with "TypeError: .*trim is not a function"/, caughtBy: ['bad-payloads'] },
    { name: 'reply called without checking that there is one', edits: { 'index.ts': [["if (typeof reply === 'function') reply(value);", '(reply as (answer: Reply) => void)(value);']] }, fails: /after a client sent a number without a callback\n.*it stopped with "TypeError: .*is not a function"/, caughtBy: ['bad-payloads'] },
    { name: 'no rate limit', edits: { 'index.ts': [[/ *if \(!withinRate\(\)\).*\n/, '']] }, fails: /20 of them were accepted and none refused/, caughtBy: ['rate-limit'] },
    {
      name: 'one rate limit shared by everyone',
      edits: { 'index.ts': [['  let windowStart = Date.now();\n  let sentInWindow = 0;\n', ''], ["io.on('connection', (socket) => {", "let windowStart = Date.now();\nlet sentInWindow = 0;\n\nio.on('connection', (socket) => {"]] },
      fails: /keep the count per connection/,
      caughtBy: ['rate-limit'],
    },
    {
      name: 'a sliding window, as the lesson describes it, and the list of who is online rebuilt item by item',
      edits: {
        'index.ts': [
          [
            /let windowStart[\s\S]*?return sentInWindow <= rateLimit;\n  \};/,
            'const sentAt: number[] = [];\n  const withinRate = () => {\n    const now = Date.now();\n    if (sentAt.length === rateLimit && now - sentAt[0]! < rateWindowMs) return false;\n    if (sentAt.length === rateLimit) sentAt.shift();\n    sentAt.push(now);\n    return true;\n  };',
          ],
        ],
        'index.html': [
          [
            /online\.replaceChildren\([\s\S]*?\n {8}\);\n/,
            "online.innerHTML = '';\n        for (const nickname of nicknames) {\n          const item = document.createElement('li');\n          item.textContent = nickname;\n          online.append(item);\n        }\n",
          ],
          ["show(`${socket.auth.nickname}: ${text}`, 'mine');", "show(`${text} (${socket.auth.nickname}, you)`, 'mine');"],
        ],
      },
    },
    { name: 'a nickname not trimmed, so one of only spaces gets in', edits: { 'index.ts': [["typeof wanted === 'string' ? wanted.trim() : ''", "typeof wanted === 'string' ? wanted : ''"]] }, fails: /Expected the server to refuse a client with a nickname of only spaces\n.*it let the client in/, caughtBy: ['nickname-required'] },
    { name: 'the length of a nickname checked before trimming it', edits: { 'index.ts': [['if (nickname.length > maxNicknameLength)', 'if ((wanted as string).length > maxNicknameLength)']] }, fails: /the server refused it with "A nickname has at most 32 characters\.": trim the nickname first, then check its length/, caughtBy: ['nickname-required'] },
    { name: 'the join notice without the nickname', edits: { 'index.ts': [['socket.broadcast.emit(\'notice\', `${nickname} joined`);', "socket.broadcast.emit('notice', 'a user joined');"]] }, fails: /the others to get a notice that names the newcomer[\s\S]*they got \["a user joined"\]/, caughtBy: ['online-list'] },
    { name: 'a rate window that never ends', edits: { 'index.ts': [['    if (Date.now() - windowStart > rateWindowMs) {\n      windowStart = Date.now();\n      sentInWindow = 0;\n    }\n', '']] }, fails: /a client refused for sending too fast to be let through again once its window is over\n.*it opens a new one/, caughtBy: ['rate-limit'] },
    { name: 'a new window that resets the count but not its start, so every later message opens one', edits: { 'index.ts': [['      windowStart = Date.now();\n      sentInWindow = 0;', '      sentInWindow = 0;']] }, fails: /20 of 20 messages sent at once were accepted, right after the message that opened a new window/, caughtBy: ['rate-limit'] },
    { name: 'a sixth message let through, the count compared before it is increased', edits: { 'index.ts': [['    sentInWindow += 1;\n    return sentInWindow <= rateLimit;', '    if (sentInWindow > rateLimit) return false;\n    sentInWindow += 1;\n    return true;']] }, fails: /6 of 20 messages sent at once, within the first window of a client that had just joined, were accepted: one too many/, caughtBy: ['rate-limit'] },
    { name: 'a fifth message refused', edits: { 'index.ts': [['return sentInWindow <= rateLimit;', 'return sentInWindow < rateLimit;']] }, fails: /the first 5 messages of a window to go through[\s\S]*message 5 was refused/, caughtBy: ['rate-limit'] },
    { name: 'everyone told who sends too fast', edits: { 'index.ts': [["    if (!withinRate()) return answer(", "    if (!withinRate()) return io.emit('notice', `${nickname} sends too fast`), answer("]] }, fails: /while Max-R was refused for sending too fast, another client got "notice" with "Max-R sends too fast"/, caughtBy: ['rate-limit'] },
    { name: 'a page that connects as it opens', edits: { 'index.html': [['io({ autoConnect: false })', 'io()']] }, fails: /the page to wait for a nickname before it connects[\s\S]*create the socket with io\(\{ autoConnect: false \}\)/, caughtBy: ['page-join'] },
    { name: 'a page that connects as it opens, its socket made to wait and then told to connect', edits: { 'index.html': [['const socket = io({ autoConnect: false });', 'const socket = io({ autoConnect: false });\n      socket.connect();']] }, fails: /the page to wait for a nickname before it connects/, caughtBy: ['page-join'] },
    { name: 'the message form shown before the page joined', edits: { 'index.html': [['<form id="form" action="" hidden>', '<form id="form" action="">']] }, fails: /the message form #form to wait, hidden, until the page has joined/, caughtBy: ['page-join'] },
    { name: 'the list of who is online never shown', edits: { 'index.html': [['        online.hidden = false;\n', '']] }, fails: /the list of who is online, #online, to show once the page joined/, caughtBy: ['page-join'] },
    { name: 'the own message shown without the nickname', edits: { 'index.html': [["show(`${socket.auth.nickname}: ${text}`, 'mine');", "show(text, 'mine');"]] }, fails: /the page to show its own message, "hi from rae 31", at once, with its nickname/, caughtBy: ['page-messages'] },
    { name: 'each list of who is online added to the old one', edits: { 'index.html': [['online.replaceChildren(', 'online.append(']] }, fails: /to drop "Sam-W" once Sam-W left, and to name "Rae-W" once/, caughtBy: ['page-messages'] },
    {
      name: 'the list of who is online written as HTML',
      edits: { 'index.html': [[/online\.replaceChildren\([\s\S]*?\n {8}\);\n/, "online.innerHTML = nicknames.map((nickname) => `<li>${nickname}</li>`).join('');\n"]] },
      fails: /the nickname <i>Ida-W<\/i> to be shown as text[\s\S]*it became an <i> element in #online/,
      caughtBy: ['page-messages'],
    },
    { name: "the server's refusal not shown in the page", edits: { 'index.html': [['nickError.textContent = error.message;', '']] }, fails: /on 'connect_error', put error\.message in #nick-error/, caughtBy: ['page-join'] },
    { name: 'the answer shown whatever it is', edits: { 'index.html': [['if (!answer.ok) show(answer.error', 'show(answer.error']] }, fails: /nothing more in #messages once the server accepted "hi from rae 31"[\s\S]*the page added \[""\] after it/, caughtBy: ['page-messages'] },
  ],
  survivors: [
    { file: 'index.html', code: "''", mutant: '"Stryker was here!"', why: 'clearing the last refusal before another try: the line goes with the nickname form once the page joins, and the lesson does not ask when it empties' },
    { file: 'index.html', code: 'nick.value.trim()', mutant: 'nick.value', why: "the server trims the nickname itself, and spaces around a name in the page's own line collapse when shown" },
    { file: 'index.html', code: 'input.focus();', mutant: ';', why: "focusing the message field once joined is a comfort the lesson's code has, not something it asks for" },
    { file: 'index.html', code: "'mine'", mutant: '""', why: "showing one's own line apart is step 06's requirement, checked there; lesson 07 only puts the nickname in it" },
    { file: 'index.html', code: "'error'", mutant: '""', why: "the reason is shown either way; its colour is the page's style, not something the lesson asks for" },
    { file: 'index.ts', code: "'/'", mutant: '""', why: "Express matches the empty path as '/': the same route" },
    { file: 'index.ts', code: '`${nickname} connected`', mutant: '``', why: "what the server logs on connection is not in lesson 07's contract (step 03 checks that it logs)" },
    { file: 'index.ts', code: 'Date.now() - windowStart > rateWindowMs', mutant: 'Date.now() - windowStart >= rateWindowMs', why: 'a message exactly 3,000 ms after its window opened: no check can time a message to the millisecond' },
    { file: 'index.ts', code: '`message from ${nickname}: ${text}`', mutant: '``', why: "the log line is step 04's requirement; lesson 07 only changes its words" },
    { file: 'index.ts', code: '`${nickname} disconnected`', mutant: '``', why: "the log line is step 03's requirement; lesson 07 only changes its words" },
  ],
};
