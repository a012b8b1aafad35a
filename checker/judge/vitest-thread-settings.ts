// The environment and Node.js options vitest 5 gives a pool's thread (its createPool() and
// resolveOptions(), for a run with no `env` or `execArgv` of its own, as the judge's), worked out
// before vitest is loaded, so that kept-thread-pool.ts can start the first thread ahead of it.
// Should a later vitest give other settings, nothing breaks: the pool sees they differ and
// starts the thread vitest asks for, as it did before.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isatty } from 'node:tty';

export interface ThreadSettings {
  env: Record<string, string | undefined>;
  execArgv: string[];
}

export function vitestThreadSettings(): ThreadSettings {
  const vitestDir = dirname(createRequire(import.meta.url).resolve('vitest/package.json'));
  return {
    env: {
      ...process.env,
      TEST: 'true',
      VITEST: 'true',
      // Vite sets NODE_ENV to 'development' as it resolves its configuration, when it is not set.
      NODE_ENV: process.env['NODE_ENV'] || 'development',
      VITEST_MODE: 'RUN',
      FORCE_TTY: isatty(1) ? 'true' : '',
    },
    execArgv: [
      // Profiling options reach the thread (`node --cpu-prof checker/kit.js …`).
      ...process.execArgv.filter((option) => /^--(cpu-prof|heap-prof|diagnostic-dir)/.test(option)),
      '--experimental-import-meta-resolve',
      '--require',
      join(vitestDir, 'suppress-warnings.cjs'),
      // Vite's default resolve conditions for a server, as vitest passes them on.
      '--conditions',
      'node',
      '--conditions',
      'development',
    ],
  };
}
