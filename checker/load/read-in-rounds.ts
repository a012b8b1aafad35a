// While the messages flow, the tool reads its connections in rounds, a quarter of a millisecond
// apart, rather than whenever one has something. With a thousand connections each getting a copy
// every few milliseconds, the process was woken up to 50,000 times a second, once for each copy or
// two, and each wake-up cost the system more than the copy it brought. Between rounds the thread
// sleeps (Atomics.wait: no CPU), so every round finds many connections ready at once. A copy can
// be read up to that quarter of a millisecond later than it arrived: next to a chat's
// milliseconds, well worth a fifth less CPU for the tool, which must leave the cores to the server.
const gapMs = 0.25;

export interface ReadingInRounds {
  stop(): void;
}

export function readInRounds(): ReadingInRounds {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  let next: NodeJS.Immediate | undefined;
  // A pending setImmediate makes the event loop poll its connections without waiting: all that
  // arrived during the sleep is read in the round that follows.
  const round = () => {
    Atomics.wait(cell, 0, 0, gapMs);
    next = setImmediate(round);
  };
  next = setImmediate(round);
  return {
    stop() {
      clearImmediate(next);
    },
  };
}
