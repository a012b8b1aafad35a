// The events of the chat, typed once and shared: the server (index.ts) and the
// checker's test clients both use these maps, so a misspelt event name or a wrong
// payload type is a compile error instead of a silent no-op. Types say what honest
// clients send; the server still checks every payload, since anyone can send anything.

/** A chat message as the server passes it on: who wrote it, and what. */
export interface ChatMessage {
  author: string;
  text: string;
}

/** The server's answer to a message: taken, or refused and why. */
export type Reply = { ok: true } | { ok: false; error: string };

/** Events a client sends to the server. */
export interface ClientToServerEvents {
  'chat message': (text: string, reply?: (answer: Reply) => void) => void;
  /** The user started typing; sent when a burst of keystrokes starts, and every 2 s while it goes on. */
  typing: () => void;
  /** The user paused, sent their message, or cleared the field. */
  'stop typing': () => void;
}

/** Events the server sends to clients. */
export interface ServerToClientEvents {
  'chat message': (message: ChatMessage) => void;
  /** A line about the chat itself, such as someone joining: shown apart from messages. */
  notice: (text: string) => void;
  /** Everyone online, by nickname: sent whenever someone joins or leaves. */
  online: (nicknames: string[]) => void;
  /** This user is typing… */
  typing: (nickname: string) => void;
  /** …and no longer is. */
  'stop typing': (nickname: string) => void;
}

/** Events between several servers (none yet: step 12 needs them). */
export interface InterServerEvents {}

/** What the server keeps about each connection, in `socket.data`. */
export interface SocketData {
  nickname: string;
}
