// How long a check waits for the learner's server to answer (an HTTP request, a Socket.IO
// handshake, an acknowledgement) before it says that no answer came. A correct server answers in
// milliseconds; the deadline is long so that a busy machine (two cores, a browser, a mutation run
// beside) never turns a slow answer into a wrong verdict, and short enough that a server that
// never answers is told so soon.
export const answerWithinMs = 5000;

/** e.g. "5 s", for a learner's report. */
export const seconds = (ms: number) => `${ms / 1000} s`;
