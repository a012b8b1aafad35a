// Whether an action in a page set off a navigation of the page, and the wait until the page that
// navigation brings is there: what playwright does after its own actions on an element (its
// `press`), for the Chromium engine's typing, which goes through the keyboard alone (see
// chromium-engine.ts). A page whose form reloads it when Enter is pressed must be the new page
// by the time the check looks at it, or the check would find the old one, or none.
import type { BrowserContext, Page } from 'playwright-core';
import { ConditionWaiters } from '../checks/condition-waiters.ts';

export interface NavigationWatch {
  /** Runs `action`; if it set off a navigation of the page, waits until it is committed, at most `timeoutMs`. */
  around(action: () => Promise<void>, timeoutMs: number): Promise<void>;
}

/**
 * Watches the page's main frame through a DevTools session of the checker's own: Chromium tells a
 * navigation as soon as the page asks for it (Page.frameRequestedNavigation, during the key press
 * that submitted a form), long before its first request, which is all playwright's events show.
 */
export async function watchNavigations(context: BrowserContext, page: Page): Promise<NavigationWatch> {
  const session = await context.newCDPSession(page);
  await session.send('Page.enable');
  const { frameTree } = await session.send('Page.getFrameTree');
  const mainFrame = frameTree.frame.id;
  let requested = 0;
  let committed = 0;
  const commits = new ConditionWaiters();
  session.on('Page.frameRequestedNavigation', ({ frameId }) => {
    if (frameId === mainFrame) requested += 1;
  });
  session.on('Page.frameNavigated', ({ frame }) => {
    if (frame.id !== mainFrame) return;
    committed += 1;
    commits.wake();
  });
  return {
    async around(action, timeoutMs) {
      const requestedBefore = requested;
      const committedBefore = committed;
      await action();
      // An answer on this session comes after what the page told it before: as playwright does
      // after an action, so that a navigation the action asked for is known by now.
      await session.send('Page.enable').catch(() => {});
      if (requested === requestedBefore) return;
      await commits.waitUntil(() => committed > committedBefore, timeoutMs);
    },
  };
}
