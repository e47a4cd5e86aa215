import { describe, expect, it } from 'vitest';
import { SearchSpace, TunekitError } from '../dist/index.js';

const spec = {
  C: { type: 'float', low: 1e-2, high: 1e3, log: true },
  gamma: [1e-4, 1e-1],
  degree: { type: 'int', low: 2, high: 5, step: 1 },
  kernel: { type: 'categorical', choices: ['rbf', 'poly'] },
} as const;

function invalid(s: unknown, message: RegExp, code = 'INVALID_SPACE'): void {
  let err: unknown;
  try {
    new SearchSpace(s as never);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(TunekitError);
  expect((err as TunekitError).code).toBe(code);
  expect((err as TunekitError).message).toMatch(message);
}

describe('the shared space format', () => {
  it('normalises the shorthand and keeps key order', () => {
    const s = new SearchSpace(spec);
    expect(s.names).toEqual(['C', 'gamma', 'degree', 'kernel']);
    expect(s.params[1]).toEqual({ name: 'gamma', type: 'float', low: 1e-4, high: 1e-1 });
  });

  it('converts parameter sets to value form and back', () => {
    const s = new SearchSpace(spec);
    const v = s.toValues({ C: 10, gamma: 0.01, degree: 3, kernel: 'poly' });
    expect(Array.from(v)).toEqual([10, 0.01, 3, 1]);
    expect(s.fromValues(v)).toEqual({ C: 10, gamma: 0.01, degree: 3, kernel: 'poly' });
    // a row of a row-major block
    expect(s.fromValuesAt([0, 0, 0, 0, 20, 0.02, 4, 0], 4)).toEqual({ C: 20, gamma: 0.02, degree: 4, kernel: 'rbf' });
    // one argument only: safe to pass to map (whose index must not become an offset)
    expect([Float64Array.of(10, 0.01, 3, 1), Float64Array.of(20, 0.02, 4, 0)].map(s.fromValues, s)).toEqual([
      { C: 10, gamma: 0.01, degree: 3, kernel: 'poly' },
      { C: 20, gamma: 0.02, degree: 4, kernel: 'rbf' },
    ]);
  });

  it('builds parameter sets under any name, code-like ones included, and refuses __proto__', () => {
    const names = ['a"b', "c'd", 'e\\f', '}; globalThis.pwned = 1; ({', '`${x}`', 'line\u2028sep', 'new\nline', 'émoji 🎲', 'constructor', 'toString', '0', ''];
    const s = new SearchSpace(Object.fromEntries(names.map((n, i) => [n, i % 2 === 0 ? [0, 10] : { type: 'categorical', choices: [{ k: i }, null] }])));
    // the space's order is the spec's key order (integer-like keys first)
    const values = s.names.map((n) => (names.indexOf(n) % 2 === 0 ? names.indexOf(n) / 2 : 1));
    // the first sets are built by assignment, later ones by the compiled builder: both alike
    for (let k = 0; k < 40; k++) {
      const out = s.fromValues(values);
      expect(Object.keys(out).sort()).toEqual([...names].sort());
      names.forEach((n, i) => expect(out[n]).toEqual(i % 2 === 0 ? i / 2 : null));
      expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    }
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
    invalid(JSON.parse('{"__proto__": [0, 1]}'), /space: "__proto__" cannot be a parameter name/);
  });

  it('rejects bad spaces with the path of the problem', () => {
    invalid({}, /space: the search space is empty/);
    invalid({ x: [1] }, /space\.x: the shorthand is \[low, high\]/);
    invalid({ x: { type: 'float', low: 'a', high: 1 } }, /space\.x\.low: expected a finite number, got "a"/);
    invalid({ x: { type: 'flaot', low: 0, high: 1 } }, /space\.x\.type: expected "float", "int" or "categorical", got "flaot"/);
    invalid({ x: { type: 'float', low: 0, high: 1, lg: true } }, /space\.x\.lg: unknown field/);
    invalid({ x: { type: 'categorical', choices: [] } }, /space\.x: a categorical parameter needs at least one choice/);
    invalid({ x: [2, 1] }, /space\.x: low must not exceed high, got low=2, high=1/);
    invalid({ x: { type: 'float', low: 0, high: 1, log: true } }, /space\.x: a log scale needs low > 0, got low=0/);
    invalid({ x: { type: 'int', low: 0.5, high: 3 } }, /space\.x: low must be an integer, got 0.5/);
    invalid({ x: { type: 'int', low: 0, high: 10, step: 3 } }, /not a multiple of step = 3/);
  });

  it('rejects values outside the space', () => {
    const s = new SearchSpace(spec);
    expect(() => s.toValues({ C: 10, gamma: 0.01, degree: 3, kernel: 'linear' })).toThrow(/kernel: "linear" is not one of \["rbf","poly"\]/);
    expect(() => s.toValues({ C: 1e4, gamma: 0.01, degree: 3, kernel: 'rbf' })).toThrow(/C: 10000 is outside \[0.01, 1000\]/);
    expect(() => s.toValues({ C: 1, gamma: 0.01, degree: 3, kernel: 'rbf', foo: 1 })).toThrow(/unknown parameter "foo"/);
    expect(() => s.toValues({ C: 1, gamma: 0.01, kernel: 'rbf' })).toThrow(/"degree" is missing/);
  });
});
