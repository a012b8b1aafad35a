// Preloaded into the learner's process by `npm run step`: says which URL to open once the
// server listens, and turns "port already in use" into one plain sentence, not a stack trace.
import { interceptListen, listeningPort } from './intercept-listen.ts';
// A cluster's primary must not lose what a browser sends while it hands the connection over.
import './hand-over-sockets.ts';

interceptListen({
  onListening(server) {
    const port = listeningPort(server);
    if (port !== undefined) console.log(`\n→ Your step is running: open http://localhost:${port} in your browser.\n`);
  },
  onUnhandledError(error) {
    if (error.code === 'EADDRINUSE') {
      const port = /:(\d+)$/.exec(error.message)?.[1] ?? process.env.PORT ?? '3000';
      console.error(
        `\n✖ Port ${port} is already in use, probably by another \`npm run step\` still running in another terminal: ` +
          `stop it with Ctrl+C, or pick another port with \`PORT=${Number(port) + 1} npm run step …\`.\n`,
      );
    } else {
      console.error(`\n✖ Your server could not listen: ${error.message}\n`);
    }
    process.exit(1);
  },
});
