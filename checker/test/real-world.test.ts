// Learners' files as they really arrive: the official Socket.IO tutorial's code (CommonJS,
// __dirname, a client from a CDN, io.emit of whatever the learner likes) turned into a step's
// index.ts, or their own take on it. Each folder of real-world/ is one learner's step, whole.
// A wrong one must fail with a message that shows the evidence (the URL, the line, the payload)
// and the cause a person would fix, and never a wrong guess; a right one must pass.
import { readdirSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { JudgePool } from './helpers/judge-pool.ts';
import { runKit } from './helpers/run-kit.ts';
import { leftRunning, makeVariant } from './helpers/variant.ts';
import { explainError } from '../checks/error-causes.ts';
import { describeFailedScript } from '../browser/failed-script.ts';
import { ChatPage, type PageEngine } from '../browser/chat-page.ts';

const fixtures = fileURLToPath(new URL('./real-world/', import.meta.url));

interface Case {
  /** A folder of real-world/, named `<step>-<what the learner did>`. */
  fixture: string;
  /** What the learner must read, each; absent for files that must pass. */
  says?: RegExp[];
  /** What must not be said: the wrong guess the checker used to make. */
  never?: RegExp[];
  env?: NodeJS.ProcessEnv;
}

// A proxy that refuses every connection: the CDN is out of reach whether this machine is online
// or not, as on a train or behind a firewall. Chromium never sends loopback addresses to a proxy.
const offline = { https_proxy: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9' };

const cases: Case[] = [
  {
    fixture: '02-commonjs-require',
    says: [
      /Your code did not start: it crashed with ReferenceError: require is not defined in ES module scope/,
      /at checker\/test\/real-world\/02-commonjs-require\/index\.ts:2\n/,
      /Your line `const express = require\('express'\);` uses require\(\), which only CommonJS has, but the files of this workshop are ES modules .*Write `import express from 'express';` instead/,
    ],
  },
  {
    fixture: '02-dirname-in-route',
    says: [
      /it answered 500, with the error "ReferenceError: __dirname is not defined" at checker\/test\/real-world\/02-dirname-in-route\/index\.ts:10/,
      /Your line `res\.sendFile\(join\(__dirname, 'index\.html'\)\);` uses __dirname.*Use import\.meta\.dirname instead: `res\.sendFile\(join\(import\.meta\.dirname, 'index\.html'\)\);`/,
      /fileURLToPath\(new URL\('\.\/index\.html', import\.meta\.url\)\)/,
    ],
  },
  {
    fixture: '03-cdn-client',
    env: offline,
    says: [
      /the page could not load its script https:\/\/cdn\.socket\.io\/4\.8\.1\/socket\.io\.min\.js: the checker's browser could not reach that server \(.+\)/,
      /Your own server hands out the same client at \/socket\.io\/socket\.io\.js.*<script src="\/socket\.io\/socket\.io\.js"><\/script>/,
    ],
    never: [/io is not defined/],
  },
  {
    fixture: '03-node-modules-client',
    says: [
      /the page could not load its script \/node_modules\/socket\.io\/client-dist\/socket\.io\.js: your server answered 404: Express does not serve the files of node_modules\//,
      /Socket\.IO's server hands out its client itself, at \/socket\.io\/socket\.io\.js: write <script src="\/socket\.io\/socket\.io\.js"><\/script>/,
    ],
    never: [/io is not defined/],
  },
  {
    fixture: '03-lan-address',
    says: [
      /it crashed with Error: listen EADDRNOTAVAIL: address not available 192\.168\.1\.20/,
      /listen\(\) was given the address 192\.168\.1\.20, which this machine does not have .*Leave the host out, `server\.listen\(port, \(\) => \{ … \}\)`/,
    ],
  },
  {
    fixture: '03-host-with-port',
    says: [/it crashed with Error: getaddrinfo \w+ localhost:3000/, /listen\(\) was given the host name "localhost:3000": a host name never holds the port, which listen\(\) takes apart\. Leave the host out/],
  },
  {
    fixture: '03-dirname-in-route',
    says: [
      /Expected GET \/ to answer with the page\n.*it answered 500, with the error "ReferenceError: __dirname is not defined" at checker\/test\/real-world\/03-dirname-in-route\/index\.ts:11/,
      /Use import\.meta\.dirname instead: `res\.sendFile\(join\(import\.meta\.dirname, 'index\.html'\)\);`/,
    ],
    never: [/Failed to load resource/],
  },
  { fixture: '03-tutorial-converted' },
  {
    fixture: '04-object-payload',
    says: [/the server logged "message: \[object Object\]" instead \(\[object Object\] is how an object reads as text\): the page must send the text itself, socket\.emit\('chat message', input\.value\)/],
    never: [/nothing arrived/],
  },
  {
    fixture: '04-logs-text-alone',
    says: [/it logged "a checker says hi 3141": start the line with "message: ", console\.log\(`message: \$\{text\}`\)/],
    never: [/spelt/],
  },
  {
    fixture: '05-object-payload',
    says: [
      /both clients received "chat message" with \{"text":"first from alice","time":"[^"]+"\}: the event is the right one, but it must carry the text itself, as the client sent it: io\.emit\('chat message', text\)/,
    ],
    never: [/must be called/, /no client received/],
  },
  {
    fixture: '05-broadcast-leaves-sender',
    says: [/Expected the sender to receive its own message too .*\n.*everyone but the sender got it \(the other client received "chat message" with "first from alice", the sender nothing\): socket\.broadcast\.emit leaves the sender out, io\.emit does not/],
  },
  { fixture: '05-tutorial-converted' },
  {
    fixture: '06-object-payload',
    says: [
      /none of them received it as sent: a client that missed it got "chat message" with \{"from":"[^"]+","text":"first from alice"\}\. The event is the right one, but it must carry the text itself, as the sender sent it: socket\.broadcast\.emit\('chat message', text\)/,
    ],
    never: [/must be called/],
  },
];

test('every folder of real-world/ is judged', () => {
  const folders = readdirSync(fixtures, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  expect(folders.sort()).toEqual(cases.map((item) => item.fixture).sort());
});

/**
 * Warm judges (helpers/judge-pool.ts), turned from step to step: each verdict is a whole
 * judgement, every check and the type check, as `npm run check N -- --dir` gives, without starting
 * a process for each folder. A case with an environment of its own is judged alone.
 */
const pool = new JudgePool(2);
afterAll(() => pool.close());

// Two at a time (vitest's maxConcurrency): each mostly waits for the learner's server.
describe.concurrent.each(cases)('$fixture', ({ fixture, says, never = [], env }) => {
  test(says ? 'fails, naming the evidence and the cause' : 'passes', async ({ expect }) => {
    const dir = `${fixtures}${fixture}`;
    const step = Number(fixture.slice(0, 2));
    const run = env ? await runKit(['check', String(step), '--dir', dir], env) : await pool.judge(step, dir);
    for (const wanted of says ?? []) expect(run.output).toMatch(wanted);
    for (const unwanted of never) expect(run.output).not.toMatch(unwanted);
    if (!says) expect(run.output).toContain('✔ Step');
    expect(run.code, run.output).toBe(says ? 1 : 0);
    expect(await leftRunning(dir)).toBe('');
  });
});

test('a script from a server that never answers: the page is named with what it still waits for', async () => {
  // A server that takes connections and never answers, as a CDN behind a firewall that drops packets.
  const sockets: Socket[] = [];
  const silent = createServer((socket) => sockets.push(socket));
  silent.listen(0, '127.0.0.1');
  await once(silent, 'listening');
  const script = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/socket.io.min.js`;
  const variant = makeVariant('03-connect', { 'index.html': [['<script src="/socket.io/socket.io.js"></script>', `<script src="${script}"></script>`]] });
  try {
    const run = await runKit(['check', '3', '--dir', variant.dir]);
    expect(run.output).toMatch(new RegExp(`Expected the page at / to load\\n.*it did not finish loading within 4 s: it was still waiting for ${script.replaceAll('.', '\\.')}\\n`));
    expect(run.code, run.output).toBe(1);
    expect(await leftRunning(variant.dir)).toBe('');
  } finally {
    variant.remove();
    silent.close();
    for (const socket of sockets) socket.destroy();
  }
});

// Errors the checker cannot meet (it always listens on a free port), but `npm run step` and a
// learner's own machine can, and those a crash can show in any step.
describe('the cause of an error, read from the error', () => {
  test('a port below 1024, and a port in use', () => {
    expect(explainError('Error: listen EACCES: permission denied 0.0.0.0:80')).toMatch(/^Port 80 is below 1024, and only an administrator may listen there\. Listen on port 3000/);
    expect(explainError('Error: listen EADDRINUSE: address already in use :::3000')).toMatch(/^Port 3000 is taken already: by another program \(another `npm run step`\?\), or by your own code listening twice/);
  });

  test('a host that listen() cannot use', () => {
    expect(explainError('Error: listen EINVAL: invalid argument fe80::1:0')).toMatch(/^listen\(\) could not use the address fe80::1 \(EINVAL\)\. Leave the host out/);
    const source = "server.listen(3000, 'chat.home', () => console.log('up'));";
    expect(explainError('Error: getaddrinfo ENOTFOUND chat.home', { source })).toMatch(/^listen\(\) was given the host name "chat\.home", which does not resolve to an address of this machine/);
  });

  test('a failed look-up that listen() did not ask for is not blamed on it', () => {
    expect(explainError('Error: getaddrinfo ENOTFOUND redis', { source: "createClient({ url: 'redis://redis:6379' }); server.listen(port);" })).toBeUndefined();
  });

  test('CommonJS exports and __filename', () => {
    expect(explainError('ReferenceError: module is not defined in ES module scope', { codeLine: 'module.exports = app;' })).toMatch(
      /^Your line `module\.exports = app;` uses module\.exports, which only CommonJS has.*`export default app;`/,
    );
    expect(explainError('ReferenceError: __filename is not defined in ES module scope', { codeLine: 'const here = __filename;' })).toMatch(/Use import\.meta\.filename instead: `const here = import\.meta\.filename;`/);
    expect(explainError('ReferenceError: require is not defined', { codeLine: "const { Server: IOServer, Socket } = require('socket.io');" })).toMatch(
      /Write `import \{ Server as IOServer, Socket \} from 'socket\.io';` instead/,
    );
  });

  test('an error it does not know gets no explanation', () => {
    expect(explainError("TypeError: Cannot read properties of undefined (reading 'emit')")).toBeUndefined();
  });
});

describe('a script of the page that did not load', () => {
  const page = 'http://127.0.0.1:41234/';

  test('from a fixed address on this machine, when the checker chose another port', () => {
    const message = describeFailedScript({ url: 'http://localhost:3000/socket.io/socket.io.js', kind: 'script', error: 'net::ERR_CONNECTION_REFUSED' }, page);
    expect(message).toBe(
      'the page could not load its script http://localhost:3000/socket.io/socket.io.js: the checker\'s browser could not reach that server (net::ERR_CONNECTION_REFUSED). ' +
        'That address names port 3000, but the checker runs your server on a port of its own (41234 this time): leave the address out and write the path alone, <script src="/socket.io/socket.io.js"></script>',
    );
  });

  test('the client at its own path, when Socket.IO is not attached', () => {
    expect(describeFailedScript({ url: `${page}socket.io/socket.io.js`, kind: 'script', status: 404 }, page)).toMatch(
      /^the page could not load its script \/socket\.io\/socket\.io\.js: your server answered 404\. Your Socket\.IO server hands out that file when it is attached to the server that listens/,
    );
  });

  test("another server's script counts only if the page's code then failed", () => {
    const engine = (errors: string[]) =>
      ({ url: page, errors, failedRequests: [{ url: 'https://fonts.example/loader.js', kind: 'script', error: 'net::ERR_NAME_NOT_RESOLVED' }] }) as unknown as PageEngine;
    expect(new ChatPage(engine([])).problem()).toBeUndefined();
    expect(new ChatPage(engine(['WebFont is not defined'])).problem()).toMatch(/^the page could not load its script https:\/\/fonts\.example\/loader\.js: the checker's browser could not reach that server \(net::ERR_NAME_NOT_RESOLVED\)$/);
  });

  test('a script of its own that the server does not serve', () => {
    expect(describeFailedScript({ url: `${page}client.js`, kind: 'script', status: 404 }, page)).toBe('the page could not load its script /client.js: your server answered 404: it has no route or file at that path');
  });
});
