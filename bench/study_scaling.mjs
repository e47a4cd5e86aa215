// Study scaling: the per-trial cost of ask + tell (RandomSampler, trivial
// objective, no heartbeats) in a study that already holds 100 trials against
// one that holds 20 000, on SQLite and on PostgreSQL. The target is a flat
// cost: the ratio of the two near 1.
//
//   node bench/study_scaling.mjs [--big 20000] [--rounds 5] [--postgres URL]
//
// PostgreSQL defaults to TUNEKIT_TEST_POSTGRES or the test server's URL; the
// database `tunekit_bench_scaling` is created there and dropped at the end.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { closeStorages, createStudy, NopPruner, PostgresStorage, RandomSampler, SqliteStorage } from '../dist/index.js';
import { flags, fmt, median, table } from './peers.mjs';

const opts = flags();
const BIG = Number(opts.big ?? 20_000);
const SMALL = 100;
const MEASURED = 300;
const ROUNDS = Number(opts.rounds ?? 5);
const PG = opts.postgres ?? process.env.TUNEKIT_TEST_POSTGRES ?? 'postgres://tunekit:tunekit@127.0.0.1:5432/tunekit_test';

async function trial(study) {
  const t = await study.ask();
  const x = t.suggestFloat('x', -5, 5);
  t.suggestInt('k', 1, 1000, { log: true });
  t.suggestCategorical('c', ['a', 'b', 'c']);
  await study.tell(t, x);
}

/** Fills a study to `n` trials, `lanes` ask/tell loops at a time. */
async function fill(study, n, lanes) {
  let made = (await study.trials()).length;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (made < n) {
        made++;
        await trial(study);
      }
    }),
  );
}

/** Seconds per ask + tell, MEASURED trials at a time, in a study holding `size` trials (grown between rounds by the measured trials only). */
async function perTrial(study) {
  const t0 = performance.now();
  for (let i = 0; i < MEASURED; i++) await trial(study);
  return (performance.now() - t0) / 1000 / MEASURED;
}

async function measure(storage, lanes) {
  const small = await createStudy({ name: 'small', storage, sampler: new RandomSampler({ seed: 1 }), pruner: new NopPruner() });
  const big = await createStudy({ name: 'big', storage, sampler: new RandomSampler({ seed: 2 }), pruner: new NopPruner() });
  await fill(small, SMALL, 1);
  await fill(big, BIG, lanes);
  const s = [];
  const b = [];
  // Interleaved, so that drifts of the machine's speed hit both alike.
  for (let r = 0; r < ROUNDS; r++) {
    s.push(await perTrial(small));
    b.push(await perTrial(big));
  }
  return { small: median(s), big: median(b) };
}

const results = {};
const file = join(tmpdir(), `tunekit-scaling-${process.pid}.db`);
results.sqlite = await measure(new SqliteStorage(file), 1);
for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });

const admin = new pg.Client({ connectionString: PG });
let pgUrl;
try {
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS tunekit_bench_scaling WITH (FORCE)');
  await admin.query('CREATE DATABASE tunekit_bench_scaling');
  const u = new URL(PG);
  u.pathname = '/tunekit_bench_scaling';
  pgUrl = u.toString();
  const storage = new PostgresStorage(pgUrl, { poolSize: 8 });
  results.postgres = await measure(storage, 8);
  await storage.close();
  await admin.query('DROP DATABASE IF EXISTS tunekit_bench_scaling WITH (FORCE)');
} catch (err) {
  console.log(`(PostgreSQL at ${PG} not measured: ${err instanceof Error ? err.message : String(err)})`);
} finally {
  await admin.end().catch(() => {});
}
await closeStorages();

const ms = (s) => `${fmt(s * 1000)} ms`;
console.log(`\nask + tell per trial (RandomSampler, 3 parameters; median of ${ROUNDS} rounds of ${MEASURED} trials)\n`);
console.log(
  table(
    ['storage', `${SMALL} trials stored`, `${BIG} trials stored`, `${BIG} ÷ ${SMALL}`],
    Object.entries(results).map(([k, r]) => [k, ms(r.small), ms(r.big), `${(r.big / r.small).toFixed(2)}×`]),
  ),
);
