// `npm run check 4 --soltion`, typed without `--`, never reaches the kit: npm takes the unknown
// flag as its own setting and hands it over only as the variable npm_config_soltion. Left alone,
// the typo would be silently ignored, and the learner's files checked instead of the solution.
const kitFlags = ['solution', 'dir'];

/** Edit distance between two short words (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The misspelt flag npm received, and the kit flag it was surely meant to be. */
export function findNpmFlagTypo(env: NodeJS.ProcessEnv = process.env): { typed: string; meant: string } | undefined {
  for (const key of Object.keys(env)) {
    const match = /^npm_config_([a-z_-]+)$/i.exec(key);
    if (!match) continue;
    const typed = match[1]!.toLowerCase().replace(/_/g, '-');
    for (const meant of kitFlags) {
      // Short flags like --dir are too close to npm's own settings to guess at.
      if (typed !== meant && meant.length >= 5 && distance(typed, meant) <= 2) return { typed, meant };
    }
  }
  return undefined;
}
