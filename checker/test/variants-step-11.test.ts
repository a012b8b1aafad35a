// Step 11 as learners may write it: wrong ways to recover and replay fail with the message that
// helps, right ways pass, whatever their style.
import { afterAll, describe, expect, test } from 'vitest';
import { runKit } from './helpers/run-kit.ts';
import { leftRunning, makeVariant, type Edits, type Variant } from './helpers/variant.ts';

interface Case {
  name: string;
  edits: Edits;
  /** What the learner must read; absent for a variant that must pass. */
  fails?: RegExp;
}

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
const replay = "    for (const message of messagesSince(after, [...socket.rooms].filter(isRoom))) {\n      socket.emit('chat message', message);\n    }\n";

/** typing sent as in step 10: the bare nickname, which the client may take for its offset. */
const typingAsString: Edits = {
  'events.ts': [['typing: (typer: { nickname: string }) => void;', 'typing: (nickname: string) => void;']],
  'index.html': [["socket.on('typing', ({ nickname }) => {", "socket.on('typing', (nickname) => {"]],
};

const cases: Case[] = [
  {
    name: "'typing' volatile with the bare nickname, as in step 10",
    edits: { ...typingAsString, 'index.ts': [["socket.broadcast.volatile.emit('typing', { nickname })", "socket.broadcast.volatile.emit('typing', nickname)"]] },
    fails: /hal-T, back within a second, to get his connection back[\s\S]*The last event before the drop was "typing" with "gil-T" as its last argument: Socket\.IO's client takes the last argument of any event, when it is a string, for its recovery offset[\s\S]*socket\.broadcast\.volatile\.emit\('typing', \{ nickname \}\)/,
  },
  {
    name: "'typing' with the bare nickname, but not volatile: it carries an offset",
    edits: { ...typingAsString, 'index.ts': [["socket.broadcast.volatile.emit('typing', { nickname })", "socket.broadcast.emit('typing', nickname)"]] },
  },
  {
    name: 'recovery not turned on',
    edits: { 'index.ts': [[/, \{\n  connectionStateRecovery: .*\n\}\);/, ');']] },
    fails: /she came back as a new connection .*: turn on connection state recovery, new Server\(server, \{ connectionStateRecovery:/,
  },
  {
    name: 'the history sent to a recovered socket too',
    edits: { 'index.ts': [['  if (socket.recovered) {', '  if (false) {']] },
    fails: /"said while fay was away 8" came 2 times: in the connection listener, send the history only when socket\.recovered is false/,
  },
  {
    name: 'the history in an array, lost on restart',
    edits: { 'history.ts': { replaceWith: historyInMemory } },
    fails: /kit-S, who came after the server restarted, to get what was said before it[\s\S]*keep it in the database file/,
  },
  {
    name: 'the replay ignores the offset',
    edits: { 'index.ts': [['messagesSince(after,', 'messagesSince(0,']] },
    fails: /ida-S not to get again what she had before the restart\n.*"jay before the crash 10", "jay in #random before the crash 11" again: she said serverOffset \d+ in the handshake/,
  },
  {
    name: 'the replay before joining the rooms of the handshake',
    edits: { 'index.ts': [[joinWantedRooms, ''], [replay, `${replay}${joinWantedRooms}`]] },
    fails: /she got all but "kit in #random after the restart 13", said in #random: join the rooms of socket\.handshake\.auth\.rooms before/,
  },
  {
    name: 'the latest messages newest first',
    edits: { 'history.ts': [['  ) ORDER BY offset\n', '  )\n']] },
    fails: /eli-H to get "dot says hello 3", "dot asks a question 4", "dot answers herself 5" in this order[\s\S]*ORDER BY offset/,
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
  },
  {
    name: 'a plain INSERT, which throws on a stored id',
    edits: { 'history.ts': [['?) ON CONFLICT (id) DO NOTHING', '?)']] },
    fails: /the server to keep running after lea-U sent again a message stored before the restart\n.*it stopped with ".*UNIQUE constraint failed: messages\.id"/,
  },
  {
    name: 'the page does not send serverOffset',
    edits: { 'index.html': [['serverOffset: lastOffset }', '}']] },
    fails: /the page, back after a restart, to get only the messages it had not received\n.*the server sent it \d+ messages? again that it had received already: keep the highest offset received in lastOffset/,
  },
  {
    name: "the page's own messages not in shownIds",
    edits: { 'index.html': [['          shownIds.add(id);\n', '']] },
    fails: /the page to show "ola is back 21" once after the server restarted\n.*#messages shows it 2 times/,
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
];

/** The solution's history.ts imports '../events.ts', from one folder down: the variant has it beside. */
function withHistoryImport(edits: Edits): Edits {
  const history = edits['history.ts'];
  if (history && !Array.isArray(history)) return edits;
  return { ...edits, 'history.ts': [["'../events.ts'", "'./events.ts'"], ...(history ?? [])] };
}

const made: Variant[] = [];
afterAll(() => made.forEach((variant) => variant.remove()));

describe.each(cases)('11-recovery: $name', ({ edits, fails }) => {
  test(fails ? 'fails with a helpful message' : 'passes', async () => {
    const variant = makeVariant('11-recovery', withHistoryImport(edits));
    made.push(variant);
    const run = await runKit(['check', '11', '--dir', variant.dir]);
    if (fails) {
      expect(run.output).toMatch(fails);
      expect(run.code, run.output).toBe(1);
    } else {
      expect(run.output).toContain('✔ Step');
      expect(run.output).not.toContain('TypeScript found');
      expect(run.code, run.output).toBe(0);
    }
    expect(await leftRunning(variant.dir)).toBe('');
  });
});
