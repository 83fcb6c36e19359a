import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most test time is spent waiting on child processes (the CLI, git, the client), so a worker
    // per core, not vitest's one fewer: on a 2-core CI machine that is two files at once, not one.
    maxWorkers: Math.max(2, availableParallelism()),
    minWorkers: 1,
    reporters: ['default'],
  },
});
