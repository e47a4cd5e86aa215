// The storage backends every conformance and distributed test runs over.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The PostgreSQL server the tests use (CI starts it with scripts/start-postgres.sh). */
export const POSTGRES_URL = process.env.TUNEKIT_TEST_POSTGRES ?? 'postgres://tunekit:tunekit@127.0.0.1:5432/tunekit_test';

/** A fresh, empty PostgreSQL database for one test file; dropped by `drop()`. */
export async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${POSTGRES_URL} (${(err as Error).message}). ` +
        'Start it with scripts/start-postgres.sh (as root; it installs and starts a local server) or set TUNEKIT_TEST_POSTGRES.',
      { cause: err },
    );
  }
  const db = `tunekit_t_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${db}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      try {
        await dropDatabase(c, db);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Drops a test database. `WITH (FORCE)` ends our own leftover sessions, but a
 * role without pg_signal_backend may not end an autovacuum worker that is busy
 * in the database after a heavy test (SQLSTATE 42501). A plain DROP makes
 * autovacuum quit and waits up to five seconds for it; it is retried a few
 * times before the error is let through.
 */
async function dropDatabase(c: pg.Client, db: string): Promise<void> {
  try {
    await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    return;
  } catch (err) {
    if ((err as { code?: string }).code !== '42501') throw err;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await c.query(`DROP DATABASE IF EXISTS ${db}`);
      return;
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** A temporary directory for SQLite files; removed by `remove()`. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tunekit-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a node script with an argument array (no shell) and returns its stdout. */
export function runNode(script: string, args: string[]): string {
  return execFileSync(process.execPath, [script, ...args], { encoding: 'utf8' });
}
