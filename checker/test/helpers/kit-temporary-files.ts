// What the kit and its tests make in the system's temporary folder, by the start of their names: a
// browser's profile, playwright's folder for a connection, a database, the tests' own folders.
// Anything else there is a cache of another program's that is meant to stay (tsx's, or Node.js's
// compile cache, which the kit turns on).
const kitOwned = /^(chat-workshop-|chat-load-|playwright-artifacts-|workshop-|bench-state-|browser-test-tmp-)/;

/** The names among `names` (a listing of a temporary folder) that the kit or its tests made. */
export function kitTemporaryFiles(names: string[]): string[] {
  return names.filter((name) => kitOwned.test(name));
}
