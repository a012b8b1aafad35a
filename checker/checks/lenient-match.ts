// Log lines are matched the way a person reads them: case, punctuation and extra words never
// fail anyone, so `A user connected!` and `New user connected` both pass for `a user connected`.

const optionalWords = new Set(['a', 'an', 'the']);

export function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** True when every word of the phrase (bar a/an/the) appears in the line, in order. */
export function matchesLeniently(line: string, phrase: string): boolean {
  const wanted = words(phrase).filter((word) => !optionalWords.has(word));
  const have = words(line);
  let next = 0;
  for (const word of have) {
    if (word === wanted[next]) next += 1;
    if (next === wanted.length) return true;
  }
  return wanted.length === 0;
}
