/**
 * Creates the cluster-wide roles once, before test files run in parallel: CREATE ROLE / GRANT
 * racing in several databases at once can fail with "tuple concurrently updated". Applying the
 * migrations to a scratch database does it the same way production does.
 */
import { createTestDatabase } from './support/database';

export default async function setup(): Promise<void> {
  const scratch = await createTestDatabase();
  await scratch.drop();
}
