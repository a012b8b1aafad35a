// The workshop site's server: the pages, the assets beside them, and a helpful 404.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { attachLabs } from './labs/index.ts';
import { attachLiveProgress } from './live-progress.ts';
import { PageSourceError, type Page } from './content.ts';
import { escape, renderLayout } from './layout.ts';
import { IncludeError } from './markdown-plugins/include-code.ts';
import { createHostPolicy, guardRequests, type HostPolicy } from './request-guard.ts';
import { createSite, type Site } from './site.ts';
import { vendorScript } from './vendor-scripts.ts';

export const assetsDir = fileURLToPath(new URL('./assets/', import.meta.url));

export function createSiteApp(site: Site): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/assets/vendor/:name', async (req, res, next) => {
    const script = vendorScript(req.params.name);
    if (!script) return next();
    res.type('text/javascript').send(await script);
  });
  app.get('/search-index.json', async (_req, res) => {
    res.type('application/json').send(await site.searchIndex());
  });
  app.use('/assets', express.static(assetsDir, { fallthrough: false, index: false, dotfiles: 'deny' }));
  app.get(/.*/, async (req, res, next) => {
    try {
      const path = req.path;
      // /steps/01-hello-express and /steps/01-hello-express/ are the same page.
      if (!path.endsWith('/') && site.pages.some((page) => page.path === `${path}/`)) return res.redirect(301, `${path}/`);
      const html = await site.render(path);
      if (html) return res.type('html').send(html);
      res.status(404).type('html').send(notFoundPage(site));
    } catch (error) {
      next(error);
    }
  });
  // Errors from express.static (a missing asset, a path that tries to leave the folder): a 404
  // page, never a stack trace. A page whose source is broken says which file and why.
  app.use((error: Error & { status?: number }, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (error instanceof PageSourceError || error instanceof IncludeError) {
      return res.status(500).type('html').send(errorPage(site, 'This page could not be built', escape(error.message)));
    }
    res.status(error.status === 403 || error.status === 404 || error.status === 400 ? 404 : 500).type('html').send(notFoundPage(site));
  });
  return app;
}

function notFoundPage(site: Site): string {
  return errorPage(
    site,
    'There is no page here',
    'The address may be mistyped, or the page may have moved. Start again from the <a href="/">home page</a>, or pick a lesson in the course menu.',
  );
}

/** A page outside the course (no previous/next, nothing marked current in the menu); `html` is trusted markup. */
function errorPage(site: Site, title: string, html: string): string {
  const page: Page = { path: '', title, section: 'error' };
  return renderLayout({ page, pages: site.pages, body: `<h1>${escape(title)}</h1>\n<p>${html}</p>`, headings: [] });
}

export interface RunningSite {
  server: Server;
  port: number;
  /** Closes the labs' connections, then the server. */
  stop(): Promise<void>;
  /** Resolves once every page has been rendered ahead: the site is idle from then on. */
  renderedAhead: Promise<void>;
}

export interface SiteServerOptions {
  port: number;
  /** The address to listen on: 127.0.0.1 unless the site is shared; undefined for every interface. */
  host: string | undefined;
  /** Which requests are refused: by default, those that do not name this machine. */
  policy?: HostPolicy;
  /** Told of each refused request, with the reason the refusal gives. */
  onRefused?: (reason: string) => void;
}

/** Renders every page of `site` in turn, letting the requests that arrive in between go first. */
async function renderInTurn(site: Site): Promise<void> {
  for (const page of site.pages) {
    await new Promise((resolve) => setImmediate(resolve));
    await site.render(page.path);
  }
}

export async function startSiteServer({ port, host, policy = createHostPolicy(), onRefused }: SiteServerOptions): Promise<RunningSite> {
  const site = await createSite();
  const server = createServer(createSiteApp(site));
  // Everything that answers on this server is attached, and guarded, before it listens.
  const labs = attachLabs(server);
  const live = await attachLiveProgress(server);
  guardRequests(server, policy, onRefused);
  server.listen({ port, host });
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  } catch (error) {
    // A port in use, an address this machine lacks: nothing of the site may stay open.
    await Promise.all([labs.close(), live.close()]);
    throw error;
  }
  // Render every page once now, so that the first reader of each does not wait for it; one page at
  // a time, each after the requests that came meanwhile, so that none waits for pages it did not ask for.
  const renderedAhead = renderInTurn(site).catch(() => {});
  const stop = async () => {
    await Promise.all([labs.close(), live.close()]);
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  };
  return { server, port: (server.address() as AddressInfo).port, stop, renderedAhead };
}
