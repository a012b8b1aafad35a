// Will `npm run check` drive a real browser? Finds it as the checker does, then starts it headless
// and closes it: a browser that is found but cannot start (a missing library, a broken snap) is
// the case a learner cannot see for themselves.
import { BrowserPathError, findBrowser } from '../browser/find-browser.ts';
import { launchBrowser } from '../browser/launch-browser.ts';
import type { Diagnosis } from './diagnosis.ts';

const name = 'Browser';

function installHint(): string {
  const pointAtYours = 'or point the checker at yours: `CHROME_PATH=/path/to/chrome npm run doctor`';
  if (process.platform === 'linux') return `On Debian and Ubuntu: \`sudo apt install chromium-headless-shell\`; elsewhere install Chromium or Chrome, ${pointAtYours}.`;
  return `Install Google Chrome, ${pointAtYours}.`;
}

/** e.g. `HeadlessChrome/140.0.7339.80`, from the DevTools endpoint the browser opened. */
async function readVersion(wsEndpoint: string): Promise<string | undefined> {
  try {
    const { host } = new URL(wsEndpoint);
    const answer = await fetch(`http://${host}/json/version`, { signal: AbortSignal.timeout(1000) });
    return ((await answer.json()) as { Browser?: string }).Browser;
  } catch {
    return undefined;
  }
}

export async function diagnoseBrowser(env: NodeJS.ProcessEnv = process.env, timeoutMs = 5000): Promise<Diagnosis> {
  let path: string | undefined;
  try {
    path = findBrowser(env);
  } catch (error) {
    if (!(error instanceof BrowserPathError)) throw error;
    return {
      name,
      status: 'fail',
      summary: `CHROME_PATH is set to ${env['CHROME_PATH']}, but no browser can be started from there, so \`npm run check\` stops`,
      fix: 'Fix the path, or unset CHROME_PATH (`unset CHROME_PATH`) to let the checker look for a browser itself.',
    };
  }
  if (!path) {
    return { name, status: 'warn', summary: 'no Chrome or Chromium found: the checker checks pages in jsdom, a built-in DOM, instead', fix: installHint() };
  }
  let browser;
  try {
    browser = await launchBrowser(path, timeoutMs);
  } catch (error) {
    return {
      name,
      status: 'warn',
      summary: `${(error as Error).message}; the checker checks pages in jsdom instead`,
      fix: `Reinstall it, or use another browser. ${installHint()}`,
    };
  }
  try {
    const version = await readVersion(browser.wsEndpoint);
    return { name, status: 'ok', summary: `${version ?? 'a browser'} at ${path} starts headless` };
  } finally {
    await browser.close();
  }
}
