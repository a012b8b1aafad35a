// While copies keep coming, the tool reads its connections in rounds, a quarter of a millisecond
// apart, rather than whenever one has something. With a thousand connections each getting a copy
// every few milliseconds, the process was woken up to 50,000 times a second, once for each copy or
// two, and each wake-up cost the system more than the copy it brought. Between rounds the thread
// sleeps (Atomics.wait: no CPU), so every round finds many connections ready at once. A copy can
// be read up to that quarter of a millisecond later than it arrived: next to a chat's
// milliseconds, well worth a fifth less CPU for the tool, which must leave the cores to the server.
// A round that found nothing ends them until the next copy: a sleep costs a wake-up too, and
// going round with no traffic would cost more than waiting as usual.
const gapMs = 0.25;

export interface ReadingInRounds {
  /** A copy was read: the rounds start again if they had ended. */
  copyRead(): void;
  stop(): void;
}

export function readInRounds(): ReadingInRounds {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  let next: NodeJS.Immediate | undefined;
  let copiesThisRound = 0;
  let stopped = false;
  // A pending setImmediate makes the event loop poll its connections without waiting: all that
  // arrived during the sleep is read before the next round.
  const round = () => {
    next = undefined;
    if (copiesThisRound === 0) return;
    copiesThisRound = 0;
    Atomics.wait(cell, 0, 0, gapMs);
    next = setImmediate(round);
  };
  return {
    copyRead() {
      copiesThisRound += 1;
      if (next === undefined && !stopped) next = setImmediate(round);
    },
    stop() {
      stopped = true;
      clearImmediate(next);
    },
  };
}
