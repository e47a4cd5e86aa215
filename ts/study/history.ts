import type { FrozenTrial, Storage } from './types.js';

/**
 * A study's trials as samplers and pruners read them, kept per study object:
 * the longest prefix of finished trials (COMPLETE, PRUNED, FAIL) is held in
 * memory, since a finished trial's state, parameters and values never change,
 * and each read fetches only the trials from the first unfinished one on. A
 * study of 20 000 finished trials with a few running ones costs a read of the
 * few. Notes written on a finished trial later (`late_result`, user
 * attributes) are not seen here; `Study.trials()` always reads everything.
 */
export class TrialHistory {
  private readonly prefix: FrozenTrial[] = [];

  constructor(
    private readonly storage: Storage,
    private readonly studyId: number,
  ) {}

  /** Every trial of the study in number order, as of now. */
  async read(): Promise<FrozenTrial[]> {
    const rest = await this.storage.getTrials(this.studyId, undefined, this.prefix.length);
    let k = 0;
    while (k < rest.length) {
      const t = rest[k] as FrozenTrial;
      if (t.number !== this.prefix.length || t.state === 'RUNNING' || t.state === 'WAITING') break;
      this.prefix.push(t);
      k++;
    }
    return k === rest.length ? [...this.prefix] : [...this.prefix, ...rest.slice(k)];
  }
}
