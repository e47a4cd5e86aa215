// A JavaScript objective for `tunekit run examples/module.yaml`: the default
// export receives the trial (its declared parameters in trial.params; it may
// also call trial.suggestFloat/Int/Categorical, report and shouldPrune).
/** @param {import('tunekit').Trial} trial */
export default async function objective(trial) {
  const { x, y, activation } = /** @type {{ x: number; y: number; activation: string }} */ (trial.params);
  const penalty = activation === 'relu' ? 0 : 0.5;
  return (x - 1) ** 2 + (y + 2) ** 2 + penalty;
}
