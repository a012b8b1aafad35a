// Every limit of the Socket.IO lab in one place: the lab is open to anyone who opens the page.

/** The lab's own Engine.IO path, apart from the learner's `/socket.io/`. */
export const LAB_PATH = '/labs/socket.io/';

/** The largest Engine.IO packet or HTTP body accepted, in bytes (Socket.IO's default is 1e6). */
export const MAX_HTTP_BUFFER_SIZE = 10_000;

/** The longest chat message, in characters. */
export const MAX_MESSAGE_LENGTH = 500;

/** Each reader may send a burst of this many events… */
export const RATE_LIMIT_BURST = 8;

/** …then one more every this many milliseconds. */
export const RATE_LIMIT_REFILL_MS = 1000;
