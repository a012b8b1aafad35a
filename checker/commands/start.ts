// `npm start`: the workshop site, at http://localhost:4000 (DOCS_PORT to change it).
import pc from 'picocolors';
import { PageSourceError } from '../../docs/site/content.ts';
import { startSiteServer } from '../../docs/site/server.ts';
import { UsageError } from './usage-error.ts';

export async function run(): Promise<number> {
  const wanted = Number(process.env['DOCS_PORT'] ?? 4000);
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
    throw new UsageError(`DOCS_PORT must be a port number from 0 to 65535, not "${process.env['DOCS_PORT']}".`);
  }
  try {
    const { port } = await startSiteServer(wanted);
    console.log(pc.bold('The real-time chat workshop is open at ') + pc.cyan(`http://localhost:${port}`));
    console.log(pc.dim('Start with the first lesson there; stop the site with Ctrl+C.'));
  } catch (error) {
    if (error instanceof PageSourceError) throw new UsageError(error.message);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`Port ${wanted} is already in use, perhaps by another \`npm start\`: open http://localhost:${wanted} if it is, or run \`DOCS_PORT=${wanted + 1} npm start\`.`);
    }
    throw error;
  }
  // Serve until Ctrl+C.
  return new Promise<number>(() => {});
}
