// Before the tests: make sure the PostgreSQL server the postgres:// tests use
// is reachable. If it is not, TUNEKIT_TEST_POSTGRES is unset and we run as
// root (CI, a fresh container), start one with scripts/start-postgres.sh;
// otherwise the postgres tests say how to start it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { POSTGRES_URL } from './storages.js';

async function reachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export default async function setup(): Promise<void> {
  if (await reachable()) return;
  const script = fileURLToPath(new URL('../scripts/start-postgres.sh', import.meta.url));
  if (process.env.TUNEKIT_TEST_POSTGRES === undefined && process.getuid?.() === 0 && existsSync(script)) {
    console.log('PostgreSQL is not running: starting it with scripts/start-postgres.sh');
    execFileSync('bash', [script], { stdio: 'inherit' });
  }
}
