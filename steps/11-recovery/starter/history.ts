// The chat's history, in an SQLite database: a file on disk, so it outlives the server. Every
// message gets an offset, its place in the history, and a client that comes back asks for
// everything after the last offset it saw. Replace TODO 2, 3 and 5 below (the lesson says when).
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import type { ChatMessage } from './events.ts';

// The checker gives every run a database of its own in CHAT_DB; yours is chat.db, beside index.ts.
const databaseFile = process.env.CHAT_DB ?? fileURLToPath(new URL('./chat.db', import.meta.url));
// TODO 2: open it, const db = new DatabaseSync(databaseFile); then, in one db.exec(), turn on
//         write-ahead logging, PRAGMA journal_mode = WAL; let a writer wait for a busy file,
//         PRAGMA busy_timeout = 5000; and create the table unless it exists:
//         CREATE TABLE IF NOT EXISTS messages (offset INTEGER PRIMARY KEY AUTOINCREMENT,
//         id TEXT NOT NULL UNIQUE, room TEXT NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL);

/** How many messages a client gets at most when it comes back: the latest ones. */
const maxReplayed = 100;

// TODO 3: above save(), prepare the INSERT once: db.prepare('INSERT INTO messages (id, room,
//         author, text) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING'). In save(), run it with
//         the four values: run() returns { changes, lastInsertRowid }. changes is 0 when the id
//         is stored already (the INSERT did nothing): return undefined then. Otherwise return the
//         message with offset: Number(lastInsertRowid).
/**
 * Stores a message and returns it with its offset, or returns undefined if a message with this id
 * is stored already: the same message sent again.
 */
export function save(message: Omit<ChatMessage, 'offset'>): ChatMessage | undefined {
  throw new Error('save() is not written yet: TODO 3 in history.ts');
}

// TODO 5: above messagesSince(), prepare the SELECT once: the messages with an offset above the
//         first value, in the rooms of the second (room IN (SELECT value FROM json_each(?)), with
//         the rooms as one JSON text), the latest `maxReplayed` of them (ORDER BY offset DESC
//         LIMIT ?), then turned oldest first (SELECT * FROM ( … ) ORDER BY offset). In
//         messagesSince(), return its .all(offset, JSON.stringify(rooms), maxReplayed), and tell
//         TypeScript what the rows are: … as unknown as ChatMessage[].
/** The messages of `rooms` after `offset` (at most the latest 100), oldest first. */
export function messagesSince(offset: number, rooms: string[]): ChatMessage[] {
  throw new Error('messagesSince() is not written yet: TODO 5 in history.ts');
}
