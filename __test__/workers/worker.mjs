// A study worker for the distributed tests: joins a study in a storage and
// runs trials. Arguments: MODE STORAGE STUDY [N].
//   random N     25 random trials, each reporting 3 intermediate values
//   grid         GridSampler over x ∈ {0..4} × y ∈ {0..3} until exhausted
//   hang         heartbeats on; prints "STARTED <number>" and never finishes
//   reap N       heartbeats on (grace 0.5 s, 1 retry); runs until N trials are COMPLETE and none is RUNNING or WAITING
//   resume N     GPSampler(seed 3) on a declared space, N trials; prints the numbers it ran
//   gridkill     GridSampler over x ∈ {0..9} × y ∈ {0..9}, heartbeats on (grace 0.5 s, 50 retries), until exhausted
//   block MS     heartbeats on (every 0.1 s, grace 0.5 s); one trial whose objective blocks the event loop for MS ms
import { closeStorages, createStudy, GPSampler, GridSampler, loadStudy, NopPruner, RandomSampler } from '../../dist/index.js';

const [mode, storage, name, nArg] = process.argv.slice(2);
const n = Number(nArg ?? 0);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function join(options) {
  for (let i = 0; ; i++) {
    try {
      return await loadStudy({ name, storage, ...options });
    } catch (err) {
      if (err.code !== 'STUDY_NOT_FOUND' || i > 100) throw err;
      await sleep(50);
    }
  }
}

if (mode === 'random') {
  const study = await join({ sampler: new RandomSampler({ seed: process.pid }), pruner: new NopPruner() });
  await study.optimize(
    async (trial) => {
      const x = trial.suggestFloat('x', -5, 5);
      const k = trial.suggestInt('k', 1, 10);
      trial.suggestCategorical('c', ['a', 'b', "'; --"]);
      for (let step = 0; step < 3; step++) await trial.report(x * step + k, step);
      return x * x + k;
    },
    { nTrials: n },
  );
} else if (mode === 'grid') {
  const study = await join({ sampler: new GridSampler({ x: [0, 1, 2, 3, 4], y: [0, 1, 2, 3] }), pruner: new NopPruner() });
  await study.optimize(
    async (trial) => {
      await sleep(5);
      return trial.suggestInt('x', 0, 4) * 10 + trial.suggestInt('y', 0, 3);
    },
    { nTrials: 1000 },
  );
} else if (mode === 'hang') {
  const study = await join({ sampler: new RandomSampler({ seed: 1 }), heartbeatInterval: 0.1, gracePeriod: 0.5 });
  await study.optimize(
    async (trial) => {
      trial.suggestFloat('x', 0, 1);
      await trial.report(0.5, 0); // stored (with x) before the parent sees STARTED and kills us
      process.stdout.write(`STARTED ${trial.number}\n`);
      setInterval(() => {}, 1000); // keep the process alive until it is killed
      await new Promise(() => {});
      return 0;
    },
    { nTrials: 1 },
  );
} else if (mode === 'reap') {
  const study = await join({ sampler: new RandomSampler({ seed: 2 }), heartbeatInterval: 0.1, gracePeriod: 0.5, maxRetries: 1 });
  // Until N trials are COMPLETE and nothing is RUNNING or WAITING (the dead worker's trial is reaped after its grace period).
  for (;;) {
    const trials = await study.trials();
    const busy = trials.some((t) => t.state === 'RUNNING' || t.state === 'WAITING');
    if (trials.filter((t) => t.state === 'COMPLETE').length >= n && !busy) break;
    await study.optimize(async (trial) => trial.suggestFloat('x', 0, 1), { nTrials: 1 });
    await sleep(100);
  }
} else if (mode === 'resume') {
  const study = await createStudy({
    name,
    storage,
    loadIfExists: true,
    direction: 'minimize',
    sampler: new GPSampler({ seed: 3, nStartupTrials: 4 }),
    space: { x: [-3, 3], y: { type: 'int', low: -2, high: 2 } },
  });
  const ran = [];
  await study.optimize(
    async (trial) => {
      ran.push(trial.number);
      const { x, y } = trial.params;
      return (x - 1) ** 2 + y * y;
    },
    { nTrials: n },
  );
  process.stdout.write(`${JSON.stringify(ran)}\n`);
} else if (mode === 'gridkill') {
  const values = Array.from({ length: 10 }, (_, i) => i);
  const study = await join({ sampler: new GridSampler({ x: values, y: values }), pruner: new NopPruner(), heartbeatInterval: 0.1, gracePeriod: 0.5, maxRetries: 50 });
  await study.optimize(
    async (trial) => {
      await sleep(15);
      return trial.suggestInt('x', 0, 9) * 10 + trial.suggestInt('y', 0, 9);
    },
    { nTrials: 100_000 },
  );
} else if (mode === 'block') {
  const study = await join({ sampler: new RandomSampler({ seed: 4 }), heartbeatInterval: 0.1, gracePeriod: 0.5 });
  await study.optimize(
    (trial) => {
      const x = trial.suggestFloat('x', 0, 1);
      process.stdout.write(`STARTED ${trial.number}\n`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, n); // a synchronous objective: the event loop waits
      return x;
    },
    { nTrials: 1 },
  );
  process.stdout.write('DONE\n');
} else {
  throw new Error(`unknown mode ${mode}`);
}
await closeStorages();
