// A spare learner process: the checker starts it ahead of the judgement that will need it, and
// here, before the learner's code runs, it loads the libraries that code will import (from the
// learner's folder, so they are the very modules it gets), then waits for the checker's go. The
// learner's files are read only after the go: a spare never runs code older than the judgement.
// The go brings what belongs to that judgement alone (its database file).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spareVariable, type GoMessage, type ReadyForGoMessage } from './spare-protocol.ts';

if (process.env[spareVariable] === '1') {
  delete process.env[spareVariable];
  // The IPC channel (unreferenced by for-checks.ts) is all that keeps this process waiting.
  process.channel?.ref();
  const go = new Promise<GoMessage>((resolve) => {
    const onMessage = (message: GoMessage) => {
      if (message?.type !== 'go') return;
      process.off('message', onMessage);
      resolve(message);
    };
    process.on('message', onMessage);
  });
  // The checker sends its go only once told this, and the libraries may load meanwhile.
  process.send?.({ type: 'ready for go' } satisfies ReadyForGoMessage);
  // node:http imported as an ES module reads every export, WebSocket too, which makes Node.js
  // load undici (nodejs/node#57649): a learner's `import … from 'node:http'` would wait for it.
  await import('node:http');
  const fromCode = createRequire(join(process.cwd(), 'index.ts'));
  for (const library of ['express', 'socket.io']) {
    try {
      await import(pathToFileURL(fromCode.resolve(library)).href);
    } catch {
      // Not installed where the code is: the code will say so itself, if it needs it.
    }
  }
  Object.assign(process.env, (await go).env);
  process.channel?.unref();
}
