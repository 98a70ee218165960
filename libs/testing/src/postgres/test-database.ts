import { randomBytes } from 'node:crypto';
import { quoteIdent, withClient, withDatabase } from './pg-admin';
import { type PostgresServer, startPostgresServer, type StartPostgresServerOptions } from './postgres-server';

export interface StartPostgresOptions extends StartPostgresServerOptions {
  /** Prefix of the fresh database's name (default giggles_test). */
  databasePrefix?: string;
  /** Keep the database after stop() (for debugging). */
  keepDatabase?: boolean;
}

export interface PostgresHandle {
  /** URL of the fresh database (superuser). */
  url: string;
  database: string;
  /** Superuser URL of the server's admin database. */
  adminUrl: string;
  server: PostgresServer;
  /** Drops the database (and stops the server when it is private to this handle). */
  stop(): Promise<void>;
}

/**
 * A fresh, uniquely named database (`giggles_test_<random>`) on DATABASE_URL's server or on a
 * private cluster. Roles are cluster-wide and survive; everything else goes with the database.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresHandle> {
  const server = await startPostgresServer(options);
  const database = `${options.databasePrefix ?? 'giggles_test'}_${randomBytes(6).toString('hex')}`;
  try {
    await withClient(server.adminUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(database)}`));
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    url: withDatabase(server.adminUrl, database),
    database,
    adminUrl: server.adminUrl,
    server,
    async stop() {
      try {
        if (!options.keepDatabase && !server.private) {
          await withClient(server.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`));
        }
      } finally {
        await server.stop();
      }
    },
  };
}
