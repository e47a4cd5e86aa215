// Agreement with scikit-learn 1.2.1 (libsvm) on the shared reference files.
import { describe, expect, it } from 'vitest';
import { datasets, GridSearchCV, SVC, StratifiedKFold, type Params } from '../dist/index.js';
import { foldsOf, reference, type SvcReference } from './helpers.js';

const loaders = { iris: datasets.loadIris, wine: datasets.loadWine } as const;

describe.each(['iris', 'wine'] as const)('SVC cross-validation on %s equals scikit-learn', (name) => {
  const ref = reference<SvcReference>(`svc_cv_${name}.json`);
  const { X, y } = loaders[name]();

  it("StratifiedKFold(5) test folds are exactly scikit-learn's", () => {
    const folds = new StratifiedKFold({ nSplits: 5 }).split(X, y);
    expect(folds.map((f) => Array.from(f.test))).toEqual(ref.test_folds);
  });

  it('≥ 99% of (config, fold) accuracies are equal and every mean is within one test sample', async () => {
    const search = new GridSearchCV(
      new SVC(),
      ref.results.map((r) => Object.fromEntries(Object.entries(r.params).map(([k, v]) => [k, [v]]))),
      { cv: foldsOf(ref), refit: false },
    );
    await search.fit(X, y);
    const res = search.cvResults;
    const mismatches: string[] = [];
    let total = 0;
    ref.results.forEach((r, i) => {
      expect(res.params[i]).toEqual(r.params as Params);
      r.fold_scores.forEach((s, k) => {
        total++;
        const ours = res[`split${k}TestScore`][i] as number;
        if (Math.round(ours * ref.test_folds[k]!.length) !== Math.round(s * ref.test_folds[k]!.length)) {
          mismatches.push(`${JSON.stringify(r.params)} fold ${k}: ${ours} vs ${s}`);
        }
      });
      const minTest = Math.min(...ref.test_folds.map((t) => t.length));
      expect(Math.abs((res.meanTestScore[i] as number) - r.mean)).toBeLessThanOrEqual(1 / minTest + 1e-12);
    });
    if (mismatches.length > 0) console.log(`${name}: ${mismatches.length} mismatches of ${total}\n${mismatches.join('\n')}`);
    expect(total).toBe(ref.results.length * 5);
    expect(mismatches.length / total).toBeLessThanOrEqual(0.01);
  });
});
