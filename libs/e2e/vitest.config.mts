import { projectConfig } from '../../vitest.shared.mjs';

/**
 * The end-to-end suite starts whole stacks (NATS, Postgres, PostgREST, the three services as
 * processes): one file at a time, after the other projects (groupOrder), with long hooks.
 */
export default projectConfig('e2e', {
  fileParallelism: false,
  sequence: { groupOrder: 9 },
  testTimeout: 360_000,
  hookTimeout: 420_000,
});
