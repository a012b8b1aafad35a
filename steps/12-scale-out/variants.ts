// Step 12 as learners may write it: wrong ways to run several processes fail with the message
// that helps, right ways pass, whatever their style. Run by
// checker/test/variants.test.ts.
import type { StepVariants } from '../../checker/checks/check.ts';

const workerSide = "  if (cluster.isWorker) {\n    // The primary listens and hands this worker its connections.\n    setupWorker(io);\n    console.log(`worker ${cluster.worker!.id} (process ${process.pid}) ready: ${description}`);\n  } else {\n";

export const variants: StepVariants = {
  timeoutMs: 150_000,
  cases: [
    {
      name: 'no adapter given to the server',
      edits: { 'chat-server.ts': [['    adapter,\n', '']] },
      fails: /a message sent to one worker never reached the clients of the other\. Give new Server an adapter/,
      caughtBy: ['cluster-broadcast'],
    },
    {
      // The race the listener is for (a send to a worker as it dies) cannot be brought about on
      // purpose; a send to a worker already dead fails the same way, every time.
      name: "no 'error' listener on the workers, and a goodbye sent to the one that died",
      edits: {
        'primary.ts': [
          [/ {2}cluster\.on\('fork', \(worker\) => \{\n.*\n {2}\}\);\n/, ''],
          ['    cluster.fork();\n  });', "    worker.send({ goodbye: true });\n    cluster.fork();\n  });"],
        ],
      },
      fails: /it stopped on an 'error' event of a worker that nothing listened to \("Error \[ERR_IPC_CHANNEL_CLOSED\]: Channel closed"\).*On cluster's 'fork' event, give each worker an 'error' listener that logs it \(TODO 2\)/,
      caughtBy: ['cluster-worker-dies'],
    },
    {
      name: 'a primary that ends when a worker dies',
      edits: { 'primary.ts': [['    cluster.fork();\n  });', '    process.exit(1);\n  });']] },
      fails: /Expected the primary to stay up when a worker dies, and start another\n.*the primary ended too, with exit code 1, and every worker with it/,
      caughtBy: ['cluster-worker-dies'],
    },
    {
      name: 'a taken nickname left waiting: the middleware returns without calling next',
      edits: { 'chat-server.ts': [['if (!(await holdNickname(socket, nickname))) return next(new Error(`${nickname} is already taken: choose another nickname.`));', 'if (!(await holdNickname(socket, nickname))) return;']] },
      fails: /Expected "ALICE-1" to be refused while alice-1 is online, saying why\n.*its handshake was left waiting \(no answer came within 5 s\)\. The middleware must end every handshake/,
      caughtBy: ['one-process'],
    },
    {
      name: "a goodbye sent to the worker that died, heard by the workers' 'error' listener",
      edits: { 'primary.ts': [['    cluster.fork();\n  });', "    worker.send({ goodbye: true });\n    cluster.fork();\n  });"]] },
    },
    {
      name: 'the primary does not relay between workers',
      edits: { 'primary.ts': [['  setupPrimary();\n', '']] },
      fails: /never got .*: a message sent to one worker never reached the clients of the other.*setupPrimary\(\) \(TODO 5\)/,
      caughtBy: ['cluster-broadcast'],
    },
    {
      name: 'the relay set up once per worker',
      edits: { 'primary.ts': [['  setupPrimary();\n', ''], ['  for (let i = 0; i < workers; i += 1) cluster.fork();', '  for (let i = 0; i < workers; i += 1) {\n    setupPrimary();\n    cluster.fork();\n  }']] },
      fails: /got [a-z]+-B's 2 times.*: call setupPrimary\(\) once, in the primary/,
      caughtBy: ['cluster-broadcast'],
    },
    {
      name: 'no primary: index.ts always runs the chat',
      edits: { 'index.ts': [[/if \(cluster\.isPrimary && workers > 1\) \{\n.*\n.*\n\} else \{\n(.*\n.*)\n\}/, '$1']] },
      fails: /WORKERS=2 to start a primary process and two worker processes\n.*it started no worker: in index\.ts, when cluster\.isPrimary && workers > 1, call startPrimary/,
      caughtBy: ['cluster-sessions'],
    },
    {
      name: 'no sticky sessions: the workers listen on the port themselves',
      edits: {
        'primary.ts': [
          ["  const server = createServer();\n", ''],
          ["  setupMaster(server, { loadBalancingMethod: 'least-connection' });\n", ''],
          [/ {2}server\.listen\(port, \(\) => \{\n.*\n {2}\}\);\n/, ''],
        ],
        'chat-server.ts': [[workerSide, '  {\n']],
      },
      // The client that only long-polls is refused (its session lost, or its name still held by the
      // try that lost it), or its message is lost on the way; unless a
      // worker was not listening yet, and took no client: then killing the other one drops them all.
      fails: /(it failed with "xhr (poll|post) error"|HTTP 400 \{"code":1,"message":"Session ID unknown"\}\)|still held the nickname): long-polling sends many HTTP requests, and one reached a worker that does not know its session|they were all on (the other|that) worker\. New sessions should go to the worker with the fewest/,
      caughtBy: ['cluster-sessions', 'cluster-worker-dies'],
    },
    {
      name: "JSON serialization between the primary and the workers",
      edits: { 'primary.ts': [["  cluster.setupPrimary({ serialization: 'advanced' });\n", '']] },
      fails: /its connection was closed during the handshake.*cluster\.setupPrimary\(\{ serialization: 'advanced' \}\), before cluster\.fork\(\)/,
      caughtBy: ['cluster-sessions'],
    },
    {
      name: "the online list from io.of('/').sockets",
      edits: { 'chat-server.ts': [['const sockets = await io.fetchSockets().catch(() => io.local.fetchSockets());', "const sockets = [...io.of('/').sockets.values()];"]] },
      fails: /the list of who is online that hal-O got last to name eve-O, fay-O, gus-O, hal-O\n.*io\.of\('\/'\)\.sockets holds the sockets of one process only/,
      caughtBy: ['cluster-online'],
    },
    {
      name: 'no new worker when one dies',
      edits: { 'primary.ts': [[/ {2}cluster\.on\('exit', [\s\S]*?\n {2}\}\);\n/, '']] },
      fails: /on cluster's 'exit' event, cluster\.fork\(\) another \(TODO 2\)/,
      caughtBy: ['cluster-worker-dies'],
    },
    {
      name: "a private message refused unless its recipient is on this process",
      edits: { 'chat-server.ts': [['if (!(await onlineNicknames()).includes(to))', "if (![...io.of('/').sockets.values()].some((other) => other.data.nickname === to))"]] },
      fails: /deliver a private message from eve-O to [a-z]+-O, who is connected to another process[\s\S]*answered \{"ok":false,"error":"[a-z]+-O is not online\."\}: the question "is [a-z]+-O online\?" went to this process alone/,
      caughtBy: ['cluster-online'],
    },
    {
      name: "a private message's recipient looked for in their own room, in every process",
      edits: {
        'chat-server.ts': [
          [
            'if (!(await onlineNicknames()).includes(to))',
            'const there = await io.in(userRoom(to)).fetchSockets().catch(() => io.local.in(userRoom(to)).fetchSockets());\n      if (there.length === 0)',
          ],
        ],
      },
    },
    {
      name: 'a failed fetchSockets() not caught',
      edits: { 'chat-server.ts': [['await io.fetchSockets().catch(() => io.local.fetchSockets());', 'await io.fetchSockets();']] },
      fails: /the worker left to carry on after the other died[\s\S]*lost the connection [\d.]+ s after the other worker died[\s\S]*that worker ended too/,
      caughtBy: ['cluster-worker-dies'],
    },
    {
      name: 'a failed fetchSockets() caught with try and catch',
      edits: {
        'chat-server.ts': [
          [
            'const sockets = await io.fetchSockets().catch(() => io.local.fetchSockets());',
            'let sockets;\n    try {\n      sockets = await io.fetchSockets();\n    } catch {\n      sockets = await io.local.fetchSockets();\n    }',
          ],
        ],
      },
    },
    {
      name: 'a nickname never given back',
      edits: { 'chat-server.ts': [["    socket.conn.once('close', release);\n", '']] },
      fails: /alice-1, who left, to join again with her nickname[\s\S]*she was refused: "alice-1 is already taken[\s\S]*socket\.conn\.once\('close', release\) \(TODO 11\)/,
      caughtBy: ['one-process'],
    },
    {
      name: 'REDIS_URL ignored',
      edits: { 'adapter.ts': [[/ {2}if \(redisUrl\) return .*\n/, '']] },
      fails: /a message sent to one process never reached a client of the other\. Give new Server an adapter: with REDIS_URL set, chooseAdapter\(\) should return the Redis adapter/,
      caughtBy: ['redis-chat'],
    },
    {
      name: 'the nickname checked against who is online, with no claim',
      edits: {
        'chat-server.ts': [
          [
            /    try \{\n      if \(!\(await holdNickname[\s\S]*?\n    \}\n/,
            "    const taken = (await onlineNicknames()).some((other) => other.toLowerCase() === nickname.toLowerCase());\n    if (taken) return next(new Error(`${nickname} is already taken: choose another nickname.`));\n",
          ],
        ],
      },
      // Four handshakes at once usually get in together; on a busy machine they may come one after
      // the other, both to the cluster and to the servers sharing Redis, and the name then goes
      // twice to kim-T, who comes back while a newcomer has it.
      fails: /exactly one of 4 handshakes for "(ivy-O|oda-R)", sent at the same moment to (the cluster|both servers), to get in\n.*\d got in: each process asked who was online.*nicknames\.claim\(nickname\) in the middleware \(TODO 11\)|to be told so and disconnected\n.*she was still connected 5 s later/,
      caughtBy: ['cluster-online', 'redis-chat', 'recovered-name-taken'],
    },
    {
      name: 'the primary keeps no nicknames',
      edits: { 'primary.ts': [['  keepNicknamesForWorkers();\n', '']] },
      fails: /a worker printed "Could not take the nickname [\w-]+: the primary did not answer within 5 s.*keepNicknamesForWorkers\(\) \(TODO 12\)/,
      caughtBy: ['cluster-sessions'],
    },
    {
      name: 'nickname claims in Redis that expire in seconds, EX',
      edits: { 'nicknames.ts': [['{ NX: true, PX: claimTtlMs }', '{ NX: true, EX: claimTtlMs / 1000 }']] },
    },
    {
      name: "'typing' volatile with the bare nickname, as in step 10",
      edits: { 'chat-server.ts': [["socket.broadcast.volatile.emit('typing', { nickname });", "socket.broadcast.volatile.emit('typing', nickname as never);"]] },
      fails: /The last event before the drop was "typing" with "gil-T" as its last argument: the client takes the last argument of any event, when it is a string, for its recovery offset/,
      caughtBy: ['one-process-recovery'],
    },
    {
      // What a busy connection does now and then to a volatile event, here every time: the check
      // must keep typing until one arrives, or it has nothing to test.
      name: "'typing' volatile with the bare nickname, and the first 'typing' of each client dropped",
      edits: {
        'chat-server.ts': [
          ["    socket.on('typing', () => {", "    let typedBefore = false;\n    socket.on('typing', () => {"],
          ["socket.broadcast.volatile.emit('typing', { nickname });", "if (typedBefore) socket.broadcast.volatile.emit('typing', nickname as never);\n      typedBefore = true;"],
        ],
      },
      fails: /The last event before the drop was "typing" with "gil-T" as its last argument/,
      caughtBy: ['one-process-recovery'],
    },
    {
      name: 'no connection state recovery at all',
      edits: { 'chat-server.ts': [['connectionStateRecovery: adapter ? undefined : {', 'connectionStateRecovery: undefined && {']] },
      fails: /hal-T, back within a second, to get his connection back[\s\S]*give new Server connectionStateRecovery when there is no adapter/,
      caughtBy: ['one-process-recovery'],
    },
    {
      name: 'the replay starts right after the offset the client got',
      edits: { 'history.ts': [['const from = Math.max(0, offset - replayOverlap);', 'const from = offset;']] },
      fails: /cal-W, who came back saying serverOffset \d+ .*, to be sent "ava, a moment before 1211" too, stored just before it[\s\S]*Math\.max\(0, offset - 50\) \(TODO 10\)/,
      caughtBy: ['replay-overlap'],
    },
    {
      name: 'an overlap of 20, written in the query',
      edits: {
        'history.ts': [
          ['WHERE offset > ? AND room IN', 'WHERE offset > ? - 20 AND room IN'],
          ['const from = Math.max(0, offset - replayOverlap);', 'const from = offset;'],
        ],
      },
    },
    {
      name: 'connection state recovery kept on with the adapters',
      edits: { 'chat-server.ts': [['connectionStateRecovery: adapter ? undefined : {', 'connectionStateRecovery: {']] },
      // The offset after the message has been seen as "" and as null: the check shows it either way.
      fails: /got \[\{.*\},(""|null)\]: the cluster adapter added an offset, so recovery is on\..*connectionStateRecovery only when there is no adapter \(TODO 7\)/,
      caughtBy: ['cluster-broadcast'],
    },
    {
      name: 'connection state recovery kept on with the Redis adapter',
      edits: { 'chat-server.ts': [['connectionStateRecovery: adapter ? undefined : {', 'connectionStateRecovery: cluster.isWorker ? undefined : {']] },
      fails: /messages? (was|were) published on the Redis channel "socket\.io#\/#[^"]+#", the room of her socket alone.*connectionStateRecovery only when there is no adapter \(TODO 7\)/,
      caughtBy: ['redis-chat'],
    },
    {
      // The lesson loads each module only where it is needed; loading them all at the top of the
      // file, as in step 11, costs a third of a process's start, and changes nothing the checks see.
      name: 'every module imported at the top of its file: the primary loads the chat server, every process the Redis client',
      edits: {
        'index.ts': [
          ["import cluster from 'node:cluster';\n", "import cluster from 'node:cluster';\nimport { startChatServer } from './chat-server.ts';\nimport { startPrimary } from './primary.ts';\n"],
          ["  const { startPrimary } = await import('./primary.ts');\n", ''],
          ["  const { startChatServer } = await import('./chat-server.ts');\n", ''],
        ],
        'adapter.ts': [
          ["import cluster from 'node:cluster';\n", "import { createAdapter as createRedisAdapter } from '@socket.io/redis-adapter';\nimport cluster from 'node:cluster';\nimport { createClient } from 'redis';\n"],
          ["  const { createClient } = await import('redis');\n", ''],
          ["  const { createAdapter: createRedisAdapter } = await import('@socket.io/redis-adapter');\n", ''],
        ],
        'nicknames.ts': [
          ["import { randomUUID } from 'node:crypto';\n", "import { randomUUID } from 'node:crypto';\nimport { createClient } from 'redis';\n"],
          ["  const { createClient } = await import('redis');\n", ''],
        ],
      },
    },
    {
      name: 'round-robin for new sessions, and the adapter set with io.adapter()',
      edits: {
        'primary.ts': [["loadBalancingMethod: 'least-connection'", "loadBalancingMethod: 'round-robin'"]],
        'chat-server.ts': [
          ['    adapter,\n', ''],
          ["  app.get('/', (req, res) => {", "  if (adapter) io.adapter(adapter);\n\n  app.get('/', (req, res) => {"],
        ],
      },
    },
    {
      name: 'one worker too many, i <= workers',
      edits: { 'primary.ts': [['for (let i = 0; i < workers; i += 1)', 'for (let i = 0; i <= workers; i += 1)']] },
      fails: /it started 3 \(processes \d+, \d+, \d+\): in primary\.ts, call cluster\.fork\(\) `workers` times, no more \(TODO 2\)/,
      caughtBy: ['cluster-sessions'],
    },
    {
      name: 'the workers never say which process they are',
      edits: { 'chat-server.ts': [['    console.log(`worker ${cluster.worker!.id} (process ${process.pid}) ready: ${description}`);\n', '']] },
      fails: /the cluster's log to say which process each worker is \(processes \d+ and \d+\)\n.*it never named process \d+( or \d+)?; it printed \[/,
      caughtBy: ['cluster-worker-dies'],
    },
    {
      name: 'a recovered socket does not take its nickname again',
      edits: { 'chat-server.ts': [[/ {6}\/\/ The nickname went back[\s\S]*?\n {6}\}\);\n/, '']] },
      fails: /"HAL-T" to be refused while hal-T, recovered, is online\n.*it was let in: hal-T's name went back when his connection closed/,
      caughtBy: ['one-process-recovery'],
    },
    {
      name: 'a recovered socket also goes through the middleware, and takes its name twice',
      edits: { 'chat-server.ts': [['skipMiddlewares: true', 'skipMiddlewares: false']] },
      fails: /hal-T, recovered, to stay connected: nobody took his nickname while he was away\n.*the server disconnected him once he was back \(the notices it got once back: .*"Someone took hal-T while you were away/,
      caughtBy: ['one-process-recovery'],
    },
    {
      name: 'recovery through the middleware, which refuses a name taken meanwhile',
      edits: { 'chat-server.ts': [['skipMiddlewares: true', 'skipMiddlewares: false'], [/ {6}\/\/ The nickname went back[\s\S]*?\n {6}\}\);\n/, '']] },
    },
    {
      name: 'a name taken while away: the recovered socket disconnected without a word',
      edits: { 'chat-server.ts': [["        socket.emit('notice', `Someone took ${nickname} while you were away: join again with another nickname.`);\n", '']] },
      fails: /kim-T, whose nickname someone took while she was away, to get a notice saying so[\s\S]*she was disconnected with no notice that says why \(the notices it got once back: "kim-T joined"\)/,
      caughtBy: ['recovered-name-taken'],
    },
    {
      name: 'a name taken while away: the recovered socket told, and left connected',
      edits: { 'chat-server.ts': [['        socket.disconnect(true);\n      });', '      });']] },
      fails: /kim-T, back with her connection recovered while a newcomer holds "kim-T", to be told so and disconnected\n.*she was still connected 5 s later \(the notices it got once back: .*"Someone took kim-T while you were away/,
      caughtBy: ['recovered-name-taken'],
    },
    {
      name: 'a private message to nobody refused without a reason',
      edits: {
        'chat-server.ts': [
          ["      if (!(await onlineNicknames()).includes(to)) return answer({ ok: false, error: `${to} is not online.` });\n", ''],
          ['answer(confirmations.length > 0 ? { ok: true } : { ok: false, error: `${to} is not online.` });', 'answer({ ok: confirmations.length > 0 });'],
        ],
      },
      fails: /the cluster to refuse a private message to "nobody-O", who is online on no worker, saying why[\s\S]*it answered \{"ok":false\}/,
      caughtBy: ['cluster-online'],
    },
  ],
  survivors: [
    { file: 'primary.ts', code: '(error) => console.error(`worker ${worker.id}: ${error.message}`)', mutant: '() => undefined', why: "the race this listener is for, a send to a worker as it dies, cannot be brought about on purpose (a variant sends to a dead worker to show the check's words)" },
    { file: 'primary.ts', code: "{ worker.on('error', (error) => console.error(`worker ${worker.id}: ${error.message}`)); }", mutant: '{}', why: "the race this listener is for, a send to a worker as it dies, cannot be brought about on purpose (a variant sends to a dead worker to show the check's words)" },
    { file: 'primary.ts', code: "'fork'", mutant: '""', why: "the race this listener is for, a send to a worker as it dies, cannot be brought about on purpose (a variant sends to a dead worker to show the check's words)" },
    { file: 'primary.ts', code: "'error'", mutant: '""', why: "the race this listener is for, a send to a worker as it dies, cannot be brought about on purpose (a variant sends to a dead worker to show the check's words)" },
    { file: 'primary.ts', code: '`worker ${worker.id}: ${error.message}`', mutant: '``', why: "the words logged for a failed send to a dying worker: the lesson asks only that the primary goes on" },
    { file: 'adapter.ts', code: '`Redis adapter, ${redisUrl}`', mutant: '``', why: "the adapter's description is only words in the log: the lesson asks the log to name each worker's process, which it still does" },
    { file: 'adapter.ts', code: '`cluster adapter, worker ${cluster.worker!.id}`', mutant: '``', why: "the adapter's description is only words in the log: the lesson asks the log to name each worker's process, which it still does" },
    { file: 'adapter.ts', code: '{ timeout: 0 }', mutant: '{}', why: 'the 5 s limit per command shows only when Redis takes over 5 s to answer a publish, which no check makes it do' },
    { file: 'adapter.ts', code: '[publisher, subscriber]', mutant: '[]', why: "the adapter adds its own 'error' listener to both clients, so a lost connection ends nothing either way; ours only puts the error in the log" },
    { file: 'adapter.ts', code: "{ client.on('error', (error: Error) => console.error(`Redis: ${error.message}`)); }", mutant: '{}', why: "the adapter adds its own 'error' listener to both clients, so a lost connection ends nothing either way; ours only puts the error in the log" },
    { file: 'adapter.ts', code: "client.on('error', (error: Error) => console.error(`Redis: ${error.message}`));", mutant: ';', why: "the adapter adds its own 'error' listener to both clients, so a lost connection ends nothing either way; ours only puts the error in the log" },
    { file: 'adapter.ts', code: "'error'", mutant: '""', why: "the adapter adds its own 'error' listener to both clients, so a lost connection ends nothing either way; ours only puts the error in the log" },
    { file: 'adapter.ts', code: '(error: Error) => console.error(`Redis: ${error.message}`)', mutant: '() => undefined', why: "the adapter adds its own 'error' listener to both clients, so a lost connection ends nothing either way; ours only puts the error in the log" },
    { file: 'adapter.ts', code: '`Redis: ${error.message}`', mutant: '``', why: "the adapter adds its own 'error' listener to both clients, so a lost connection ends nothing either way; ours only puts the error in the log" },
    { file: 'chat-server.ts', code: '{ maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: true }', mutant: '{}', why: "Socket.IO's defaults are the same two minutes, with skipMiddlewares true: nothing changes" },
    { file: 'chat-server.ts', code: '!release', mutant: 'false', why: "the taken name is still refused, with the words of the failure path (try again in a moment): the checks do not judge a refusal's words" },
    { file: 'chat-server.ts', code: "socket.conn.readyState === 'closed'", mutant: 'false', why: 'only for a client that gives up while its claim is on its way: the claim then comes back after the connection closed, a race no check can set up on purpose' },
    { file: 'chat-server.ts', code: "'closed'", mutant: '""', why: 'only for a client that gives up while its claim is on its way: the claim then comes back after the connection closed, a race no check can set up on purpose' },
    { file: 'chat-server.ts', code: '{ release(); return false; }', mutant: '{}', why: 'only for a client that gives up while its claim is on its way: the claim then comes back after the connection closed, a race no check can set up on purpose' },
    { file: 'chat-server.ts', code: 'release();', mutant: ';', why: 'only for a client that gives up while its claim is on its way: the claim then comes back after the connection closed, a race no check can set up on purpose' },
    { file: 'chat-server.ts', code: 'false', mutant: 'true', why: 'only for a client that gives up while its claim is on its way: the claim then comes back after the connection closed, a race no check can set up on purpose' },
    { file: 'chat-server.ts', code: 'console.error(`Could not take the nickname ${nickname}: ${(error as Error).message}`);', mutant: ';', why: 'runs only when the keeper of the names cannot be asked (the primary or Redis not answering), which no check causes: a claim waits for Redis rather than fail' },
    { file: 'chat-server.ts', code: "{ console.error(`Could not take the nickname ${nickname}: ${(error as Error).message}`); return next(new Error('Nicknames cannot be checked right now: try again in a moment.')); }", mutant: '{}', why: 'runs only when the keeper of the names cannot be asked (the primary or Redis not answering), which no check causes: a claim waits for Redis rather than fail' },
    { file: 'chat-server.ts', code: '`Could not take the nickname ${nickname}: ${(error as Error).message}`', mutant: '``', why: 'runs only when the keeper of the names cannot be asked (the primary or Redis not answering), which no check causes: a claim waits for Redis rather than fail' },
    { file: 'chat-server.ts', code: "'Nicknames cannot be checked right now: try again in a moment.'", mutant: '""', why: 'runs only when the keeper of the names cannot be asked (the primary or Redis not answering), which no check causes: a claim waits for Redis rather than fail' },
    { file: 'chat-server.ts', code: '() => false', mutant: '() => undefined', why: 'undefined is as false as false: the recovered socket is told and disconnected all the same' },
    { file: 'chat-server.ts', code: 'false', mutant: 'true', why: 'runs only when the keeper of the names cannot be asked, which no check causes' },
    { file: 'chat-server.ts', code: 'true', mutant: 'false', why: "the client sees the same 'io server disconnect' either way: it has one namespace, and the connection closes once it has none" },
    { file: 'chat-server.ts', code: '!(await onlineNicknames()).includes(to)', mutant: 'false', why: `the check that follows refuses the same message: nobody in the recipient's room, so no confirmation, so the same "is not online"` },
    { file: 'chat-server.ts', code: '{ console.log(`server running at http://localhost:${port} (process ${process.pid}, ${description})`); }', mutant: '{}', why: 'the step asks for no log line when one process listens: the checks wait for its port' },
    { file: 'chat-server.ts', code: '`server running at http://localhost:${port} (process ${process.pid}, ${description})`', mutant: '``', why: 'the step asks for no log line when one process listens: the checks wait for its port' },
    { file: 'history.ts', code: 'Math.max(0, offset - replayOverlap)', mutant: 'Math.min(0, offset - replayOverlap)', why: "the latest 100 messages are replayed, not those from 50 before the client's offset: more of what the page has comes again, which it drops by id, as the lesson allows; how far back is the learner's choice" },
    { file: 'primary.ts', code: '`worker ${worker.id} (process ${worker.process.pid}) died (${signal ?? `code ${code}`}): starting another`', mutant: '``', why: 'the lesson asks that a new worker starts, not that the log says why the old one died' },
    { file: 'primary.ts', code: '`code ${code}`', mutant: '``', why: 'the lesson asks that a new worker starts, not that the log says why the old one died' },
    { file: 'primary.ts', code: 'signal ?? `code ${code}`', mutant: 'signal && `code ${code}`', why: 'the lesson asks that a new worker starts, not that the log says why the old one died' },
    { file: 'primary.ts', code: "{ loadBalancingMethod: 'least-connection' }", mutant: '{}', why: "least-connection is @socket.io/sticky's default: the same method" },
  ],
};
