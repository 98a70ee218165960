import { projectConfig } from '../../vitest.shared.mjs';

// Each API test file starts a whole stack (NATS, a database, PostgREST, persistence, the scheduler,
// the gateway): one file at a time keeps a 2-core machine responsive and Postgres role creation
// free of races.
export default projectConfig('gateway', { fileParallelism: false });
