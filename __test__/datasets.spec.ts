import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasets, TunekitError } from '../dist/index.js';

describe('bundled data sets', () => {
  it.each([
    ['loadIris', 150, 4, 3],
    ['loadWine', 178, 13, 3],
    ['loadBreastCancer', 569, 30, 2],
    ['loadDigits', 1797, 64, 10],
  ] as const)('%s has %i rows, %i features, %i classes', (fn, n, d, k) => {
    const ds = datasets[fn]();
    expect(ds.X).toHaveLength(n);
    ds.X.forEach((r) => expect(r).toHaveLength(d));
    expect(ds.featureNames).toHaveLength(d);
    expect(new Set(ds.y).size).toBe(k);
    expect(ds.targetNames).toHaveLength(k);
  });

  it('iris starts with the familiar first flower', () => {
    const { X, y, featureNames } = datasets.loadIris();
    expect(X[0]).toEqual([5.1, 3.5, 1.4, 0.2]);
    expect(y[0]).toBe(0);
    expect(featureNames[0]).toBe('sepal length (cm)');
  });
});

describe('loadCsv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tunekit-csv-'));
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const fails = (path: string, message: RegExp, target?: string): void => {
    let err: unknown;
    try {
      datasets.loadCsv(path, target === undefined ? {} : { target });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TunekitError);
    expect((err as TunekitError).code).toBe('CSV_ERROR');
    expect((err as TunekitError).message).toContain(path);
    expect((err as TunekitError).message).toMatch(message);
  };

  it('reads a file with a named target column anywhere', () => {
    const ds = datasets.loadCsv(file('ok.csv', 'a,label,b\n1,0,2\n3,1,4\n'), { target: 'label' });
    expect(ds).toEqual({
      X: [
        [1, 2],
        [3, 4],
      ],
      y: [0, 1],
      featureNames: ['a', 'b'],
      targetNames: ['0', '1'],
    });
  });

  it('names file, line and column for each kind of bad file', () => {
    fails(file('ragged.csv', 'a,b,t\n1,2,0\n1,0\n'), /line 3 has 2 fields but the header has 3/);
    fails(file('text.csv', 'a,b,t\n1,2,0\n1,x,1\n'), /line 3, column "b" is not a number/);
    fails(file('nan.csv', 'a,b,t\n1,NaN,0\n'), /line 2, column "b" is NaN/);
    fails(file('blank.csv', 'a,b,t\n1,,0\n'), /line 2, column "b" is empty/);
    fails(file('empty.csv', ''), /is empty/);
    fails(file('header.csv', 'a,b,t\n'), /no data rows/);
    fails(file('target.csv', 'a,b,t\n1,2,0\n'), /no column named "label"/, 'label');
    fails(join(dir, 'missing.csv'), /cannot be read \(ENOENT\)/);
  });
});
