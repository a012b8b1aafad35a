// The events of the chat, typed once and shared: the server (index.ts) and the
// checker's test clients both use these maps, so a misspelt event name or a wrong
// payload type is a compile error instead of a silent no-op. Types say what honest
// clients send; the server still checks every payload, since anyone can send anything.

/**
 * A chat message as the server passes it on. `id` is made by the sender's page, once per message,
 * with crypto.randomUUID(): a message sent again after a lost acknowledgement keeps its id, and
 * whoever sees that id twice knows it is the same message. `offset` is given by the server when
 * it stores the message: a page that comes back says the last one it got, and gets what followed.
 */
export interface ChatMessage {
  id: string;
  /** Where it is in the history: 1 for the first message ever stored, then 2, 3… */
  offset: number;
  room: string;
  author: string;
  text: string;
}

/** A private message as its one recipient gets it: its id, who sent it, and what. */
export interface PrivateMessage {
  id: string;
  from: string;
  text: string;
}

/** The server's answer to a request: done, or refused and why. */
export type Reply = { ok: true } | { ok: false; error: string };

/** Events a client sends to the server. Each is acknowledged: with `retries`, the client waits for it. */
export interface ClientToServerEvents {
  /** A message for everyone in a room the sender is in. */
  'chat message': (message: { id: string; room: string; text: string }, reply?: (answer: Reply) => void) => void;
  /** A message for one user, named by their nickname: answered once their page has it. */
  'private message': (message: { id: string; to: string; text: string }, reply?: (answer: Reply) => void) => void;
  'join room': (room: string, reply?: (answer: Reply) => void) => void;
  'leave room': (room: string, reply?: (answer: Reply) => void) => void;
  /** The user started typing; sent when a burst of keystrokes starts, and every 2 s while it goes on, volatile, so never retried. */
  typing: () => void;
  /** The user paused, sent their message, or cleared the field. */
  'stop typing': (reply?: (answer: Reply) => void) => void;
}

/** Events the server sends to clients. */
export interface ServerToClientEvents {
  'chat message': (message: ChatMessage) => void;
  /** The recipient's page answers { ok: true } once it shows the message: the sender learns it arrived. */
  'private message': (message: PrivateMessage, confirm: (answer: Reply) => void) => void;
  /** A line about the chat itself, such as someone joining: shown apart from messages. */
  notice: (text: string) => void;
  /** Everyone online, by nickname: sent whenever someone joins or leaves. */
  online: (nicknames: string[]) => void;
  /**
   * This user is typing… An object, not the bare nickname: the client takes the last argument of
   * any event, if it is a string, for its recovery offset, and a volatile event carries none.
   */
  typing: (typer: { nickname: string }) => void;
  /** …and no longer is. */
  'stop typing': (nickname: string) => void;
}

/**
 * Events that servers send each other with io.serverSideEmit(). The chat needs none: the adapter
 * carries every emit to the other processes by itself.
 */
export interface InterServerEvents {}

/** What the server keeps about each connection, in `socket.data`. */
export interface SocketData {
  nickname: string;
}
