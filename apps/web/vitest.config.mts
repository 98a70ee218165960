import { projectConfig } from '../../vitest.shared.mjs';

// Browser tests drive real Chromium against the real gateway stack: one file at a time (2 cores),
// and generous timeouts for the stack's start and the app's build.
export default projectConfig('web', {
  include: ['test/**/*.spec.ts'],
  fileParallelism: false,
  testTimeout: 180_000,
  hookTimeout: 300_000,
  // The page waits on real services over NATS on 2 shared cores: a second is too short a poll.
  expect: { poll: { timeout: 20_000, interval: 100 } },
});
