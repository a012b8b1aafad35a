// The events of the chat, typed once and shared: the server (index.ts) and the
// checker's test clients both use these maps, so a misspelt event name or a wrong
// payload type is a compile error instead of a silent no-op.

/** Events a client sends to the server. */
export interface ClientToServerEvents {
  'chat message': (text: string) => void;
}

/** Events the server sends to clients. */
export interface ServerToClientEvents {
  'chat message': (text: string) => void;
  /** A line about the chat itself, such as someone joining: shown apart from messages. */
  notice: (text: string) => void;
}
