// The lab's events, typed end to end: what a reader's page may emit and what the server sends
// back. The types describe honest clients only; lab-server.ts still checks every payload.

/** The server's answer to a `chat message` sent with an acknowledgement callback. */
export type ChatReply = { ok: true } | { ok: false; error: string };

export interface ClientToServerEvents {
  'chat message': (text: string, ack?: (reply: ChatReply) => void) => void;
}

export interface ServerToClientEvents {
  /** A reader's message, sent to every reader, its author included. */
  'chat message': (text: string) => void;
  /** How many readers are in the chat now, sent to all of them whenever one comes or goes. */
  readers: (count: number) => void;
  /** Why a message sent without an acknowledgement callback was refused. */
  notice: (text: string) => void;
}
