// Step 11 as learners may write it: wrong ways to recover and replay fail with the message that
// helps, right ways pass, whatever their style. Run by
// checker/test/variants.test.ts.
import type { Edits, StepVariants } from '../../checker/checks/check.ts';

/** A history kept in an array: it works until the server stops. */
const historyInMemory = `import type { ChatMessage } from './events.ts';

const messages: ChatMessage[] = [];

export function save(message: Omit<ChatMessage, 'offset'>): ChatMessage | undefined {
  if (messages.some((stored) => stored.id === message.id)) return undefined;
  const stored = { ...message, offset: messages.length + 1 };
  messages.push(stored);
  return stored;
}

export function messagesSince(offset: number, rooms: string[]): ChatMessage[] {
  return messages.filter((message) => message.offset > offset && rooms.includes(message.room)).slice(-100);
}
`;

const joinWantedRooms = '    if (Array.isArray(wantedRooms)) socket.join(wantedRooms.filter(isRoom));\n';
const checkedOffset = '    const lastOffset = Number(socket.handshake.auth.serverOffset);\n    const after = Number.isSafeInteger(lastOffset) && lastOffset > 0 ? lastOffset : 0;\n';
const replay = "    for (const message of messagesSince(after, [...socket.rooms].filter(isRoom))) {\n      socket.emit('chat message', message);\n    }\n";

/** typing sent as in step 10: the bare nickname, which the client may take for its offset. */
const typingAsString: Edits = {
  'events.ts': [['typing: (typer: { nickname: string }) => void;', 'typing: (nickname: string) => void;']],
  'index.html': [["socket.on('typing', ({ nickname }) => {", "socket.on('typing', (nickname) => {"]],
};

export const variants: StepVariants = {
  cases: [
    {
      name: "'typing' volatile with the bare nickname, as in step 10",
      edits: { ...typingAsString, 'index.ts': [["socket.broadcast.volatile.emit('typing', { nickname })", "socket.broadcast.volatile.emit('typing', nickname)"]] },
      fails: /hal-T, back within a second, to get his connection back[\s\S]*The last event before the drop was "typing" with "gil-T" as its last argument: Socket\.IO's client takes the last argument of any event, when it is a string, for its recovery offset[\s\S]*socket\.broadcast\.volatile\.emit\('typing', \{ nickname \}\)/,
      caughtBy: ['recovery-after-typing'],
    },
    {
      // What a busy connection does now and then to a volatile event, here every time: the check
      // must keep typing until one arrives, or it has nothing to test.
      name: "'typing' volatile with the bare nickname, and the first 'typing' of each client dropped",
      edits: {
        ...typingAsString,
        'index.ts': [
          [
            "socket.on('typing', () => socket.broadcast.volatile.emit('typing', { nickname }));",
            "let typedBefore = false;\n  socket.on('typing', () => {\n    if (typedBefore) socket.broadcast.volatile.emit('typing', nickname);\n    typedBefore = true;\n  });",
          ],
        ],
      },
      fails: /The last event before the drop was "typing" with "gil-T" as its last argument/,
      caughtBy: ['recovery-after-typing'],
    },
    {
      name: "'typing' with the bare nickname, but not volatile: it carries an offset",
      edits: { ...typingAsString, 'index.ts': [["socket.broadcast.volatile.emit('typing', { nickname })", "socket.broadcast.emit('typing', nickname)"]] },
    },
    {
      name: 'recovery not turned on',
      edits: { 'index.ts': [[/, \{\n  connectionStateRecovery: .*\n\}\);/, ');']] },
      fails: /she came back as a new connection .*: turn on connection state recovery, new Server\(server, \{ connectionStateRecovery:/,
      caughtBy: ['recovery'],
    },
    {
      name: 'the history sent to a recovered socket too',
      edits: { 'index.ts': [['  if (socket.recovered) {', '  if (false) {']] },
      fails: /"said while fay was away 8" came 2 times: in the connection listener, send the history only when socket\.recovered is false/,
      caughtBy: ['recovery'],
    },
    {
      name: 'the history in an array, lost on restart',
      edits: { 'history.ts': { replaceWith: historyInMemory } },
      fails: /kit-S, who came after the server restarted, to get what was said before it[\s\S]*keep it in the database file/,
      caughtBy: ['after-restart'],
    },
    {
      name: 'the replay ignores the offset',
      edits: { 'index.ts': [['messagesSince(after,', 'messagesSince(0,']] },
      fails: /ida-S not to get again what she had before the restart\n.*"jay before the crash 10", "jay in #random before the crash 11" again: she said serverOffset \d+ in the handshake/,
      caughtBy: ['after-restart'],
    },
    {
      name: 'the replay before joining the rooms of the handshake',
      edits: { 'index.ts': [[joinWantedRooms, ''], [replay, `${replay}${joinWantedRooms}`]] },
      fails: /she got all but "kit in #random after the restart 13", said in #random: join the rooms of socket\.handshake\.auth\.rooms before/,
      caughtBy: ['after-restart'],
    },
    {
      name: 'the latest messages newest first',
      edits: { 'history.ts': [['  ) ORDER BY offset\n', '  )\n']] },
      fails: /eli-H to get "dot says hello 3", "dot asks a question 4", "dot answers herself 5" in this order[\s\S]*ORDER BY offset/,
      caughtBy: ['history'],
    },
    {
      name: 'the oldest 100 messages replayed instead of the latest',
      edits: { 'history.ts': [['ORDER BY offset DESC LIMIT ?', 'ORDER BY offset LIMIT ?']] },
      fails: /kai-H, who came after 105 messages were said in #general, to get the latest 100, "said later, number 006" to "said later, number 105"\n.*but not \d+, "said later, number 105" among them: take the latest 100/,
      caughtBy: ['history'],
    },
    {
      name: 'the whole history replayed, without a limit',
      edits: { 'history.ts': [['const maxReplayed = 100;', 'const maxReplayed = 1_000_000;']] },
      fails: /kai-H, who came after 105 messages were said in #general, to get the latest 100 only\n.*he got 105, "said later, number 001" among them/,
      caughtBy: ['history'],
    },
    {
      name: 'the history sent to everyone in the rooms, not to the newcomer alone',
      edits: { 'index.ts': [["      socket.emit('chat message', message);", "      io.to(message.room).emit('chat message', message);"]] },
      fails: /the history to go to eli-H alone, who just came\n.*dot-H, who was there already, got "dot says hello 3".* again when eli-H came: send it with socket\.emit/,
      caughtBy: ['history'],
    },
    {
      name: 'serverOffset used as the client sent it',
      edits: { 'index.ts': [[checkedOffset, '    const after = socket.handshake.auth.serverOffset ?? 0;\n']] },
      fails: /a client whose handshake says serverOffset: "soon", not a whole number above 0, to get the latest messages, as with 0.*\n.*it got \[\]: anything in auth comes from the client/,
      caughtBy: ['history'],
    },
    {
      name: 'ids checked with a Set, a table without UNIQUE',
      edits: {
        'history.ts': [
          ['id TEXT NOT NULL UNIQUE', 'id TEXT NOT NULL'],
          ['?) ON CONFLICT (id) DO NOTHING', '?)'],
        ],
        'index.ts': [
          ['    const stored = save(', '    if (seenIds.has(id)) return answer({ ok: true });\n    seenIds.add(id);\n    const stored = save('],
          ['io.on(', 'const seenIds = new Set<string>();\n\nio.on('],
        ],
      },
      fails: /max-U not to get "lea says this once 15" again[\s\S]*a list of ids in memory is empty after a restart, so let the database refuse it, id TEXT UNIQUE/,
      caughtBy: ['resent-after-restart'],
    },
    {
      name: 'a plain INSERT, which throws on a stored id',
      edits: { 'history.ts': [['?) ON CONFLICT (id) DO NOTHING', '?)']] },
      fails: /the server to keep running after lea-U sent again a message stored before the restart\n.*it stopped with ".*UNIQUE constraint failed: messages\.id"/,
      caughtBy: ['resent-after-restart'],
    },
    {
      name: 'the page does not send serverOffset',
      edits: { 'index.html': [['serverOffset: lastOffset }', '}']] },
      fails: /the page, back after a restart, to get only the messages it had not received\n.*the server sent it \d+ messages? again that it had received already: keep the highest offset received in lastOffset/,
      caughtBy: ['page-catch-up'],
    },
    {
      name: "the page's own messages not in shownIds",
      edits: { 'index.html': [['          shownIds.add(id);\n', '']] },
      fails: /the page to show "ola is back 21" once after the server restarted\n.*#messages shows it 2 times/,
      caughtBy: ['page-catch-up'],
    },
    {
      name: 'serverOffset read with Number(…) || 0',
      edits: { 'index.ts': [[checkedOffset, '    const after = Number(socket.handshake.auth.serverOffset) || 0;\n']] },
    },
    {
      name: 'the whole history read, and its last 100 kept in JavaScript',
      edits: {
        'history.ts': [
          ['    ORDER BY offset DESC LIMIT ?\n  ) ORDER BY offset', '    ORDER BY offset\n  )'],
          ['selectSince.all(offset, JSON.stringify(rooms), maxReplayed) as unknown as ChatMessage[]', '(selectSince.all(offset, JSON.stringify(rooms)) as unknown as ChatMessage[]).slice(-maxReplayed)'],
        ],
      },
    },
    {
      name: 'a separate query for a stored id, before a plain insert',
      edits: {
        'history.ts': [
          ['?) ON CONFLICT (id) DO NOTHING', '?)'],
          [/  const \{ changes, lastInsertRowid \} = (.*)\n  if \(changes === 0\) return undefined;\n/, '  if (isStored(message.id)) return undefined;\n  const { lastInsertRowid } = $1\n'],
          ['// #region save\n', "// #region save\nconst selectId = db.prepare('SELECT 1 FROM messages WHERE id = ?');\n\nexport function isStored(id: string): boolean {\n  return selectId.get(id) !== undefined;\n}\n\n"],
        ],
      },
    },
    {
      name: 'a plain INSERT, and the constraint error caught by its code',
      edits: {
        'history.ts': [
          ['?) ON CONFLICT (id) DO NOTHING', '?)'],
          [
            /  const \{ changes, lastInsertRowid \} = (.*)\n  if \(changes === 0\) return undefined;\n  (return .*)\n/,
            '  try {\n    const { lastInsertRowid } = $1\n    $2\n  } catch (error) {\n    // SQLITE_CONSTRAINT_UNIQUE\n    if ((error as { errcode?: number }).errcode === 2067) return undefined;\n    throw error;\n  }\n',
          ],
        ],
      },
    },
    {
      name: 'INSERT OR IGNORE, and the rows copied field by field instead of a cast',
      edits: {
        'history.ts': [
          ["'INSERT INTO messages", "'INSERT OR IGNORE INTO messages"],
          ['?) ON CONFLICT (id) DO NOTHING', '?)'],
          [
            '  return selectSince.all(offset, JSON.stringify(rooms), maxReplayed) as unknown as ChatMessage[];',
            '  return selectSince.all(offset, JSON.stringify(rooms), maxReplayed).map((row) => ({\n    offset: Number(row.offset),\n    id: String(row.id),\n    room: String(row.room),\n    author: String(row.author),\n    text: String(row.text),\n  }));',
          ],
        ],
      },
    },
    {
      name: 'the page names no rooms in its handshake',
      edits: { 'index.html': [['send({ nickname, rooms: [...joined], serverOffset: lastOffset })', 'send({ nickname, serverOffset: lastOffset })']] },
      fails: /said in #random, one of its rooms, while it was away[\s\S]*rooms: \[\.\.\.joined\]/,
      caughtBy: ['page-catch-up'],
    },
    {
      name: 'a stored copy passed on all the same',
      edits: { 'index.ts': [['    if (!stored) return answer({ ok: true });\n', '']] },
      fails: /max-U to get nothing but "lea says something new 16" after lea-U sent an old message again\n.*he also got \[(\{\}|null)\]: when save\(\) returns undefined, the message is a copy/,
      caughtBy: ['resent-after-restart'],
    },
    {
      name: '#general joined only when the handshake names it',
      edits: { 'index.ts': [["    socket.join('general');\n", '']] },
      fails: /a client that names no rooms in its handshake to be put in #general as before/,
      caughtBy: ['rooms-on-connection'],
    },
    {
      name: "every room the handshake names, another user's room included",
      edits: { 'index.ts': [['socket.join(wantedRooms.filter(isRoom))', 'socket.join(wantedRooms as string[])']] },
      fails: /tom-J, who named "user:ros-J" among his rooms, not to get the private messages of ros-J/,
      caughtBy: ['rooms-on-connection'],
    },
  ],
  survivors: [
    { file: 'index.ts', code: '{ maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: true }', mutant: '{}', why: "Socket.IO's defaults are these very values (two minutes, middlewares skipped): the same server" },
    { file: 'index.ts', code: 'true', mutant: 'false', why: 'the middleware runs again on recovery and lets the nickname through: the dropped socket is gone, so the name is free' },
    { file: 'index.ts', code: 'Number.isSafeInteger(lastOffset) && lastOffset > 0', mutant: 'Number.isSafeInteger(lastOffset) || lastOffset > 0', why: 'only a client that sends a fraction or "Infinity" is affected, and it only deprives itself of its own history: the checks accept Number(x) || 0, which does the same' },
    { file: 'index.ts', code: 'lastOffset > 0', mutant: 'true', why: 'a negative offset reads the same latest messages as 0: every offset in the table is above it' },
    { file: 'index.ts', code: 'lastOffset > 0', mutant: 'lastOffset >= 0', why: 'an offset of 0 reads the same messages whichever branch gives it' },
    { file: 'index.ts', code: '[...socket.rooms].filter(isRoom)', mutant: '[...socket.rooms]', why: "the socket's own rooms (its id, user:…) hold no stored messages: the history read is the same" },
  ],
};
