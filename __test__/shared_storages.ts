// The storages tests share between processes (not imported by the global setup: it uses vitest's hooks).
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { freshPostgres, tempDir } from './storages.js';

/**
 * The storages many processes can share, as URLs: an SQLite file `dbFile` in
 * a temporary folder, and a fresh PostgreSQL database made on first use.
 * Registers an afterAll that closes tunekit's storages, drops the database
 * and removes the folder; `dir` is that folder, for other files of the test.
 */
export function sharedStorages(dbFile: string): { storages: [string, () => Promise<string>][]; dir: string } {
  const tmp = tempDir();
  let pgDb: Awaited<ReturnType<typeof freshPostgres>> | undefined;
  afterAll(async () => {
    const { closeStorages } = await import('../dist/index.js');
    await closeStorages();
    await pgDb?.drop();
    tmp.remove();
  });
  return {
    dir: tmp.dir,
    storages: [
      ['sqlite', async () => `sqlite:${join(tmp.dir, dbFile)}`],
      [
        'postgres',
        async () => {
          pgDb ??= await freshPostgres();
          return pgDb.url;
        },
      ],
    ],
  };
}
