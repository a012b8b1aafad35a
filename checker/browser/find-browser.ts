// Finds a Chrome or Chromium already installed on this machine, so checks never need a download.
// CHROME_PATH wins; then the usual places on Linux, macOS and Windows. The old headless shell
// comes first where it is installed: it starts in a fraction of the time of a full browser.
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { KitError } from '../errors/kit-error.ts';

function candidates(): string[] {
  if (process.platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
  }
  if (process.platform === 'win32') {
    const roots = [process.env['PROGRAMFILES'], process.env['PROGRAMFILES(X86)'], process.env['LOCALAPPDATA']];
    return roots
      .filter((root): root is string => Boolean(root))
      .flatMap((root) => [
        join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
        join(root, 'Chromium', 'Application', 'chrome.exe'),
        join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
      ]);
  }
  return [
    '/usr/bin/chromium-headless-shell',
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
    '/snap/bin/chromium',
  ];
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export class BrowserPathError extends KitError {
  constructor(message: string) {
    super(message, 'usage');
  }
}

/** The browser to drive, or undefined when none is installed (checks then use jsdom). */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env['CHROME_PATH'];
  if (chosen) {
    if (!isExecutable(chosen)) {
      throw new BrowserPathError(
        `CHROME_PATH is set to ${chosen}, but no browser can be started from there: fix the path, or unset CHROME_PATH to let the checker look for one.`,
      );
    }
    return chosen;
  }
  return candidates().find(isExecutable);
}
