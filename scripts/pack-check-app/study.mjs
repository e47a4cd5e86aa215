// Runs inside the throw-away project of scripts/pack-check.mjs: a study on the
// SQLite storage. Prints one JSON line: the best value, or the error's code
// and message when the storage cannot open.
import { createStudy, RandomSampler } from 'tunekit';

try {
  const study = await createStudy({ name: 'pack-check', direction: 'minimize', sampler: new RandomSampler({ seed: 3 }), storage: `sqlite:${process.argv[2]}`, loadIfExists: true });
  await study.optimize((trial) => (trial.suggestFloat('x', -2, 2) - 1) ** 2, { nTrials: 5 });
  console.log(JSON.stringify({ ok: true, trials: (await study.trials()).length, bestValue: (await study.bestTrial()).values[0] }));
} catch (err) {
  console.log(JSON.stringify({ ok: false, code: err.code, message: err.message }));
}
