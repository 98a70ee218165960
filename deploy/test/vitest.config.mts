import { projectConfig } from '../../vitest.shared.mjs';

/**
 * `npm run test:compose` only (deploy/test/run-compose-test.sh starts it after preparing the
 * engine and the images): the real compose stack on a real Docker engine. Not a project of the
 * root vitest config, so `npm test` never runs it.
 */
export default projectConfig('compose', {
  // Paths are relative to the repository root (npm run test:compose runs vitest from there).
  include: ['deploy/test/*.spec.ts'],
  fileParallelism: false,
  testTimeout: 900_000,
  hookTimeout: 900_000,
});
