// The page's typing line must never lie for long (step 08): a page that reconnects forgets
// everyone, since a 'stop typing' sent while it was offline never reaches it. (That it forgets a
// typer it has not heard from for 5 s is checked in step 08's check.ts, on the page's own clock.)
import type { Socket } from 'socket.io-client';
import type { ChatPage } from '../browser/chat-page.ts';
import type { CuttableProxy } from './cuttable-proxy.ts';
import { keepTypingUntil } from './chat-toolkit.ts';
import { fail } from './check-failure.ts';
import { ConditionWaiters } from './condition-waiters.ts';
import { retryAtOnce } from './page-reconnection.ts';

/** Step 08's number: a page forgets a typer after 5 s without a 'typing' from them. */
const typingExpiryMs = 5000;

export interface Typer {
  nickname: string;
  socket: Socket<any, any>;
}

const json = (value: unknown) => JSON.stringify(value);
const lineText = `document.querySelector('#typing')?.textContent ?? ''`;
const names = (typer: Typer) => `(${lineText}).includes(${json(typer.nickname)})`;

/**
 * The typer says it is typing, again every 100 ms (a volatile emit may be dropped), until the
 * page's line names them; fails the check if it never does. Resolves with when it began.
 */
async function typeUntilShown(page: ChatPage, typer: Typer, where: string): Promise<number> {
  const began = performance.now();
  if (await keepTypingUntil(typer.socket, () => page.engine.waitUntil(names(typer), 3000))) return began;
  const error = page.engine.errors[0];
  return fail({
    expected: `the line #typing to read "${typer.nickname} is typing…" when ${typer.nickname} types${where}`,
    actual: error ? `the page failed with "${error}"` : `it reads ${json(await page.engine.evaluate<string>(lineText))}`,
  });
}

/**
 * If the page calls its socket `socket`: makes its client retry at once after a drop (its own
 * delay is 0.5 to 1.5 s, a good part of the time the check has to tell), and resolves once its
 * connection runs on a WebSocket (2 s at most). A cut long-polling connection may go unnoticed
 * by the server until its next ping, a cut WebSocket never does.
 */
async function prepareForDrop(page: ChatPage): Promise<void> {
  await retryAtOnce(page);
  return page.engine.evaluate(`new Promise((resolve) => {
    if (typeof socket !== 'object' || !socket?.io) return resolve();
    const engine = socket.io.engine;
    if (!engine || engine.transport?.name === 'websocket') return resolve();
    engine.once('upgrade', () => resolve());
    setTimeout(resolve, 2000);
  })`);
}

/**
 * A page that loses its connection while someone types, and gets it back, shows nobody typing
 * once it is back: 'stop typing' may have been sent while it was away. `page` must be open
 * through `proxy`. A drop tells nothing when the server did not notice it, or when the page came
 * back so late that its own timer could have cleared the line (on a busy machine): then the page
 * loses its connection again, up to `dropsToTell` times in all, and passes if no drop could tell,
 * as nothing then tells a right page from a wrong one.
 */
export async function expectTypersClearedOnReconnect(page: ChatPage, proxy: CuttableProxy, typer: Typer, pageNickname: string, lesson?: string): Promise<void> {
  const began = performance.now();
  for (let drop = 1; drop <= dropsToTell; drop += 1) {
    if ((await dropAndWatchLine(page, proxy, typer, pageNickname, lesson)) === 'cleared') return;
    if (performance.now() - began > tryAgainWithinMs) return;
  }
}

const dropsToTell = 3;
/**
 * A drop that tells nothing takes up to about 15 s (the line shown, the drop noticed, the page
 * back): another begins only this soon after the first, so that a check of a right page on a
 * slow machine ends well within the 60 s a check may run.
 */
const tryAgainWithinMs = 20_000;

/**
 * How long a page that is back may take to empty its line: it does so as its socket connects,
 * when the server, which has just named it in the online list, has answered its handshake.
 */
const clearedOnceBackWithinMs = 2000;

/** One drop while `typer` types: 'cleared' when the line emptied on reconnection, 'untold' when this drop could not tell; fails the check when the line stayed. */
async function dropAndWatchLine(page: ChatPage, proxy: CuttableProxy, typer: Typer, pageNickname: string, lesson?: string): Promise<'cleared' | 'untold'> {
  await prepareForDrop(page);
  await page.engine.evaluate(watchLineScript(typer));
  try {
    return await dropWhileWatched(page, proxy, typer, pageNickname, lesson);
  } finally {
    await page.engine.evaluate(`globalThis.${lineWatch}?.stop()`).catch(() => {});
  }
}

/** Where the page keeps what watchLineScript saw. */
const lineWatch = 'chatWorkshopTypingLineWatch';

/**
 * In the page: watches the line from now on, at every change of the document (the line's text is
 * one). It keeps the last text that named the typer, and the time the line last stopped naming them,
 * on the machine's clock (Date.now(), which the checker reads too): a line the check found
 * cleared may have been cleared by the page's own timer, after the check's deadline, and one it
 * found still naming the typer may be cleared by that timer before the check reads it again.
 */
function watchLineScript(typer: Typer): string {
  return `(() => {
    globalThis.${lineWatch}?.stop();
    const watch = { namedText: null, clearedAt: null };
    const look = () => {
      const text = ${lineText};
      if (text.includes(${json(typer.nickname)})) {
        watch.namedText = text;
        watch.clearedAt = null;
      } else if (watch.namedText !== null && watch.clearedAt === null) {
        watch.clearedAt = Date.now();
      }
    };
    const observer = new MutationObserver(look);
    observer.observe(document, { subtree: true, childList: true, characterData: true });
    watch.stop = () => observer.disconnect();
    globalThis.${lineWatch} = watch;
    look();
  })()`;
}

interface LineSeen {
  namedText: string | null;
  clearedAt: number | null;
}

async function dropWhileWatched(page: ChatPage, proxy: CuttableProxy, typer: Typer, pageNickname: string, lesson?: string): Promise<'cleared' | 'untold'> {
  const began = await typeUntilShown(page, typer, ', before the page loses its connection');
  // The page's timer for the typer started after `began`: until then plus its 5 s, only a
  // clearing on reconnection can empty the line (minus a margin for the page's own clock).
  const expiryCouldClearAt = began + typingExpiryMs - 500;
  const expiryCouldClearOnClock = Date.now() + (expiryCouldClearAt - performance.now());
  // The server's word, whatever the page calls its socket: the typer's online list loses the page
  // when it drops, and names it again once it is back.
  const lists: unknown[] = [];
  const listsChanged = new ConditionWaiters();
  const onOnline = (nicknames: unknown) => {
    lists.push(nicknames);
    listsChanged.wake();
  };
  const listsNamePage = (nicknames: unknown) => Array.isArray(nicknames) && nicknames.includes(pageNickname);
  typer.socket.on('online', onOnline);
  try {
    proxy.goOffline();
    const seenLeaving = await listsChanged.waitUntil(() => lists.some((list) => !listsNamePage(list)), 2000);
    proxy.goOnline();
    // The server did not notice the drop (a long-polling page between two requests): the page may
    // never have been away, and nothing can be told.
    if (!seenLeaving) return 'untold';
    const back = await listsChanged.waitUntil(() => lists.some((list, index) => listsNamePage(list) && lists.slice(0, index).some((before) => !listsNamePage(before))), 8000);
    if (!back) {
      fail({
        expected: `the page to connect again once the network was back, and ${pageNickname} to be in the online list again`,
        actual: `the list ${typer.nickname} got last is ${json(lists.at(-1) ?? null)}, 8 s later`,
      });
    }
  } finally {
    typer.socket.off('online', onOnline);
  }
  const expiryLeft = expiryCouldClearAt - performance.now();
  if (expiryLeft <= 0) return 'untold';
  // A busy machine gives the page longer (the time it waited for a CPU), which can take the wait
  // past the moment the page's own timer could clear the line: a line cleared after it tells
  // nothing. The shorter the wait, the more a busy machine must stretch it to get there.
  const cleared = await page.engine.waitUntil(`!${names(typer)}`, Math.min(expiryLeft, clearedOnceBackWithinMs));
  const seen = await page.engine.evaluate<LineSeen>(`(({ namedText = null, clearedAt = null }) => ({ namedText, clearedAt }))(globalThis.${lineWatch} ?? {})`);
  if (cleared) return (seen.clearedAt ?? Date.now()) < expiryCouldClearOnClock ? 'cleared' : 'untold';
  return fail({
    expected: `the page, once it has reconnected, to stop showing ${typer.nickname} as typing: a "stop typing" sent while it was offline never reached it, so what it knew before is stale`,
    actual: `the line still reads ${json(seen.namedText ?? (await page.engine.evaluate<string>(lineText)))} after the reconnection: in socket.on('connect', …), forget every typer (clear their timers, typers.clear()) and write the line again`,
    lesson,
  });
}
