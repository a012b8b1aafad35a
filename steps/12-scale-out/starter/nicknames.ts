// Who holds which nickname, for every process of the chat. Asking every process who is online and
// then letting a newcomer in takes a round trip, and a socket is counted only once it is in: two
// handshakes for one name, on two processes (or on one, while the round trip is on its way), would
// both find it free. A claim is one step that takes the name or finds it taken, and one keeper
// makes it: this process alone, the cluster's primary, or the Redis server.
import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';

/** Gives a claimed nickname back. Calling it again, or after the claim ended otherwise, does nothing. */
export type Release = () => void;

export interface NicknameClaims {
  /** Takes `nickname` (in any case): the way to give it back, or undefined if someone holds it. */
  claim(nickname: string): Promise<Release | undefined>;
}

/** Names are compared in lower case: "Alice" and "alice" are one name. */
const keyOf = (nickname: string) => nickname.toLowerCase();

/** The keeper of the names this process shares: the Redis server, the cluster's primary, or itself. */
export async function chooseNicknameClaims(): Promise<NicknameClaims> {
  const redisUrl = process.env.REDIS_URL;
  if (redisUrl) return redisClaims(redisUrl);
  if (cluster.isWorker) return primaryClaims();
  return localClaims();
}

/** One process: a Map. With no `await` between looking and taking, nobody can come in between. */
function localClaims(): NicknameClaims {
  const holders = new Map<string, string>();
  return {
    async claim(nickname) {
      const key = keyOf(nickname);
      if (holders.has(key)) return undefined;
      const claim = randomUUID();
      holders.set(key, claim);
      return () => {
        if (holders.get(key) === claim) holders.delete(key);
      };
    },
  };
}

/** What a worker and its primary say to each other about names, over the cluster's IPC channel. */
type ClaimMessage =
  | { nicknameClaim: { claim: string; nickname: string } }
  | { nicknameRelease: { claim: string; nickname: string } }
  | { nicknameAnswer: { claim: string; ok: boolean } };

/** How long a worker waits for its primary's answer. */
const primaryAnswerMs = 5000;

/** A worker of a cluster asks its primary, which handles one message at a time. */
function primaryClaims(): NicknameClaims {
  const waiting = new Map<string, (ok: boolean) => void>();
  process.on('message', (message: Partial<ClaimMessage>) => {
    const answer = message && 'nicknameAnswer' in message ? message.nicknameAnswer : undefined;
    if (answer) waiting.get(answer.claim)?.(answer.ok);
  });
  return {
    claim(nickname) {
      const key = keyOf(nickname);
      const claim = randomUUID();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(claim);
          reject(new Error(`the primary did not answer within ${primaryAnswerMs / 1000} s: does it call keepNicknamesForWorkers()?`));
        }, primaryAnswerMs);
        waiting.set(claim, (ok) => {
          clearTimeout(timer);
          waiting.delete(claim);
          resolve(ok ? () => process.send?.({ nicknameRelease: { claim, nickname: key } } satisfies ClaimMessage) : undefined);
        });
        process.send!({ nicknameClaim: { claim, nickname: key } } satisfies ClaimMessage);
      });
    },
  };
}

/** In the primary: holds the names of every worker, and frees those of a worker that is gone. */
export function keepNicknamesForWorkers(): void {
  const holders = new Map<string, { claim: string; workerId: number }>();
  cluster.on('message', (worker, message: Partial<ClaimMessage>) => {
    if (message && 'nicknameClaim' in message && message.nicknameClaim) {
      const { claim, nickname } = message.nicknameClaim;
      const ok = !holders.has(nickname);
      if (ok) holders.set(nickname, { claim, workerId: worker.id });
      worker.send({ nicknameAnswer: { claim, ok } } satisfies ClaimMessage);
    } else if (message && 'nicknameRelease' in message && message.nicknameRelease) {
      const { claim, nickname } = message.nicknameRelease;
      if (holders.get(nickname)?.claim === claim) holders.delete(nickname);
    }
  });
  // A worker that dies gives nothing back: its names are free as soon as its channel closes, or
  // its process ends. Both, since Node.js holds the first back while a connection it was handing
  // to that worker waits for an answer that never comes.
  const freeNamesOf = (worker: { id: number }) => {
    for (const [nickname, holder] of holders) if (holder.workerId === worker.id) holders.delete(nickname);
  };
  cluster.on('disconnect', freeNamesOf);
  cluster.on('exit', freeNamesOf);
}

/** How long a name stays taken after its server last said it still holds it. */
const claimTtlMs = 10_000;
/** Deletes the key only if it still holds this claim, not one that someone else made since. */
const releaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * Servers that share a Redis server: SET … NX sets a key only if it does not exist, in one
 * command. A server that dies cannot give its names back, so each claim expires unless its server
 * renews it: the names of a dead server are free again within 10 s.
 */
async function redisClaims(url: string): Promise<NicknameClaims> {
  // Loaded only by a server that shares Redis, as in adapter.ts.
  const { createClient } = await import('redis');
  const redis = createClient({ url, commandOptions: { timeout: 0 } });
  redis.on('error', (error: Error) => console.error(`Redis: ${error.message}`));
  await redis.connect();
  const held = new Set<string>();
  const renew = setInterval(() => {
    for (const key of held) redis.pExpire(key, claimTtlMs).catch(() => {});
  }, claimTtlMs / 3);
  renew.unref();
  return {
    async claim(nickname) {
      const key = `chat:nickname:${keyOf(nickname)}`;
      const claim = randomUUID();
      if ((await redis.set(key, claim, { NX: true, PX: claimTtlMs })) !== 'OK') return undefined;
      held.add(key);
      return () => {
        if (!held.delete(key)) return;
        redis.eval(releaseScript, { keys: [key], arguments: [claim] }).catch(() => {});
      };
    },
  };
}
