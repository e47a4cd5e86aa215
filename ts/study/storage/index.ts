import { TunekitError } from '../../errors.js';
import type { Storage } from '../types.js';
import { MemoryStorage } from './memory.js';
import { PostgresStorage } from './postgres.js';
import { SqliteStorage } from './sqlite.js';

/**
 * Where a study lives: a {@link Storage}, or a URL —
 * `memory` (this process only, the library default),
 * `sqlite:path/to/file.db` (one machine, several processes; the CLI's default),
 * `postgres://user:pass@host:5432/db` (many machines).
 */
export type StorageSpec = Storage | string;

const cache = new Map<string, Storage>();

/**
 * The storage for a spec. URLs are opened once per process and shared (so
 * several studies on one SQLite file use one connection); `memory` gives a
 * process-wide in-memory storage.
 */
export function openStorage(spec: StorageSpec | undefined): Storage {
  if (spec === undefined) spec = 'memory';
  if (typeof spec !== 'string') return spec;
  const known = cache.get(spec);
  if (known !== undefined) return known;
  let storage: Storage;
  if (spec === 'memory' || spec === ':memory:') storage = new MemoryStorage();
  else if (spec.startsWith('sqlite:')) {
    const path = spec.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new TunekitError('INVALID_PARAMETER', `storage ${JSON.stringify(spec)}: give a file, as in sqlite:tunekit.db`);
    storage = new SqliteStorage(path);
  } else if (spec.startsWith('postgres://') || spec.startsWith('postgresql://')) storage = new PostgresStorage(spec);
  else {
    throw new TunekitError('INVALID_PARAMETER', `storage ${JSON.stringify(spec)}: expected "memory", "sqlite:<file>" or "postgres://…"`);
  }
  cache.set(spec, storage);
  return storage;
}

/** Closes every storage opened from a URL (database connections, file handles). */
export async function closeStorages(): Promise<void> {
  const all = [...cache.values()];
  cache.clear();
  await Promise.all(all.map((s) => s.close()));
}

export { MemoryStorage, SqliteStorage, PostgresStorage };
