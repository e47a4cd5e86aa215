import { describe, expect, it } from 'vitest';
import { BayesianOptimization, createStudy, GeneticSampler, GPSampler, QMCSampler, RandomSampler, SearchSpace, TunekitError } from '../dist/index.js';
import { validateConfig } from '../dist/cli/config.js';
import { searchable } from '../dist/study/samplers/space_of.js';

/**
 * One rule for the search-space format (issue 11): the core owns it, and every
 * way of declaring a parameter (a SearchSpace, a trial's suggest calls, a
 * study's declared space, a CLI config) gives the same verdict with the same
 * rule text. Shapes (a bound being a finite number, …) are checked in
 * TypeScript by the same function on every path.
 */

type Spec = { type: 'float' | 'int'; low: number; high: number; log?: boolean; step?: number } | { type: 'categorical'; choices: unknown[] };

/** A verdict: accepted, or refused with INVALID_SPACE and this rule text. */
type Verdict = { ok: true } | { ok: false; rule: RegExp };

const ok: Verdict = { ok: true };
const refused = (rule: RegExp): Verdict => ({ ok: false, rule });

const TABLE: [string, Spec, Verdict][] = [
  ['float low > high', { type: 'float', low: 2, high: 1 }, refused(/low must not exceed high, got low=2, high=1/)],
  ['int low > high', { type: 'int', low: 5, high: 1 }, refused(/low must not exceed high, got low=5, high=1/)],
  ['float log with low = 0', { type: 'float', low: 0, high: 1, log: true }, refused(/a log scale needs low > 0, got low=0/)],
  ['float log with low < 0', { type: 'float', low: -1, high: 1, log: true }, refused(/a log scale needs low > 0, got low=-1/)],
  ['int log with low = 0', { type: 'int', low: 0, high: 8, log: true }, refused(/a log scale needs low > 0, got low=0/)],
  ['float step not dividing', { type: 'float', low: 0, high: 1, step: 0.3 }, refused(/high − low = 1 is not a multiple of step = 0\.3/)],
  ['int step not dividing', { type: 'int', low: 0, high: 10, step: 3 }, refused(/high − low = 10 is not a multiple of step = 3/)],
  ['float step 0', { type: 'float', low: 0, high: 1, step: 0 }, refused(/step must be a positive number, got 0/)],
  ['float log with a step', { type: 'float', low: 1, high: 2, log: true, step: 0.5 }, refused(/a log scale cannot be combined with a step/)],
  ['int bounds not integers', { type: 'int', low: 1.5, high: 3 }, refused(/low must be an integer, got 1\.5/)],
  ['empty choices', { type: 'categorical', choices: [] }, refused(/a categorical parameter needs at least one choice/)],
  ['NaN low', { type: 'float', low: NaN, high: 1 }, refused(/\.low: expected a finite number, got NaN/)],
  ['NaN high', { type: 'float', low: 0, high: NaN }, refused(/\.high: expected a finite number, got NaN/)],
  ['NaN step', { type: 'float', low: 0, high: 1, step: NaN }, refused(/\.step: expected a finite number, got NaN/)],
  ['infinite high', { type: 'float', low: 0, high: Infinity }, refused(/\.high: expected a finite number, got Infinity/)],
  ['float low = high (fixed)', { type: 'float', low: 1, high: 1 }, ok],
  ['int low = high (fixed)', { type: 'int', low: 3, high: 3 }, ok],
  ['stepped float low = high', { type: 'float', low: 0.5, high: 0.5, step: 0.25 }, ok],
  ['log float low = high', { type: 'float', low: 2, high: 2, log: true }, ok],
  ['one choice (fixed)', { type: 'categorical', choices: ['only'] }, ok],
  ['step dividing', { type: 'float', low: 0, high: 1, step: 0.25 }, ok],
];

/** The error a call throws (or the rejection of the promise it returns), undefined if none. */
async function errorOf(call: () => unknown): Promise<unknown> {
  try {
    await call();
    return undefined;
  } catch (err) {
    return err;
  }
}

function expectVerdict(err: unknown, verdict: Verdict, where: RegExp, how: string): void {
  if (verdict.ok) {
    expect(err, how).toBeUndefined();
    return;
  }
  expect(err, how).toBeInstanceOf(Error);
  const e = err as Error;
  expect(e.message, how).toMatch(verdict.rule);
  expect(e.message, how).toMatch(where);
  // the CLI turns space errors into config errors (exit code 2), without a code
  if (how !== 'cli config') {
    expect(e, how).toBeInstanceOf(TunekitError);
    expect((e as TunekitError).code, how).toBe('INVALID_SPACE');
  }
}

let n = 0;
const name = () => `one-rule-${n++}`;

function suggest(t: Awaited<ReturnType<Awaited<ReturnType<typeof createStudy>>['ask']>>, spec: Spec): unknown {
  if (spec.type === 'categorical') return t.suggestCategorical('x', spec.choices as string[]);
  const options = { ...(spec.log === undefined ? {} : { log: spec.log }), ...(spec.step === undefined ? {} : { step: spec.step }) };
  return spec.type === 'int' ? t.suggestInt('x', spec.low, spec.high, options) : t.suggestFloat('x', spec.low, spec.high, options);
}

describe('one space rule: every entry point gives the same verdict', () => {
  for (const [label, spec, verdict] of TABLE) {
    it(label, async () => {
      expectVerdict(await errorOf(() => new SearchSpace({ x: spec } as never)), verdict, /space\.x[.:]/, 'SearchSpace');

      const study = await createStudy({ name: name(), sampler: new RandomSampler({ seed: 1 }) });
      const t = await study.ask();
      const err = await errorOf(() => suggest(t, spec));
      expectVerdict(err, verdict, /parameter "x"[.:]/, 'trial.suggest');
      if (verdict.ok) {
        const v = suggest(t, spec);
        if (spec.type === 'categorical') expect(v).toBe(spec.choices[0]);
        else if (spec.low === spec.high) expect(v).toBe(spec.low);
      }

      expectVerdict(await errorOf(() => createStudy({ name: name(), space: { x: spec } as never })), verdict, /space\.x[.:]/, 'createStudy space');
      expectVerdict(await errorOf(() => study.ask({ space: { x: spec } as never })), verdict, /space\.x[.:]/, 'ask space');

      const config = { study: 's', nTrials: 1, space: { x: spec }, objective: { module: 'objective.mjs' } };
      expectVerdict(await errorOf(() => validateConfig(config, '/tmp')), verdict, /space\.x[.:]/, 'cli config');
    });
  }

  it('the [low, high] shorthand follows the same rule', async () => {
    for (const [bounds, verdict] of [
      [[2, 1], refused(/space\.x: low must not exceed high, got low=2, high=1/)],
      [[1, 1], ok],
      [[Number.NaN, 1], refused(/space\.x\.low: expected a finite number, got NaN/)],
    ] as const) {
      expectVerdict(await errorOf(() => new SearchSpace({ x: bounds })), verdict, /x/, 'SearchSpace');
      expectVerdict(await errorOf(() => createStudy({ name: name(), space: { x: bounds } })), verdict, /x/, 'createStudy space');
      const config = { study: 's', nTrials: 1, space: { x: bounds }, objective: { module: 'objective.mjs' } };
      expectVerdict(await errorOf(() => validateConfig(config, '/tmp')), verdict, /x/, 'cli config');
    }
  });

  it('shape errors are reported in TypeScript with the path', () => {
    expect(() => new SearchSpace({ x: { type: 'float', low: '0', high: 1 } } as never)).toThrow(/space\.x\.low: expected a finite number, got "0"/);
    expect(() => validateConfig({ study: 's', nTrials: 1, space: { x: { type: 'float', low: 0, high: 1, log: 'yes' } }, objective: { module: 'o.mjs' } }, '/tmp')).toThrow(
      /space\.x\.log: expected true or false, got "yes"/,
    );
    expect(() => validateConfig({ study: 's', nTrials: 1, space: { x: { type: 'categorical', choices: 'ab' } }, objective: { module: 'o.mjs' } }, '/tmp')).toThrow(
      /space\.x\.choices: expected an array, got "ab"/,
    );
  });
});

describe('fixed parameters (low = high, one choice)', () => {
  const samplers = {
    random: () => new RandomSampler({ seed: 2 }),
    qmc: () => new QMCSampler({ seed: 2 }),
    gp: () => new GPSampler({ seed: 2, nStartupTrials: 3 }),
    genetic: () => new GeneticSampler({ seed: 2, populationSize: 4 }),
  };
  for (const [kind, make] of Object.entries(samplers)) {
    it(`take their one value in every trial (${kind} sampler)`, async () => {
      const study = await createStudy({ name: name(), sampler: make() });
      await study.optimize(
        (t) => {
          const x = t.suggestFloat('x', -2, 2);
          const f = t.suggestFloat('f', 0.5, 0.5);
          const k = t.suggestInt('k', 3, 3);
          const c = t.suggestCategorical('c', ['only']);
          expect([f, k, c]).toEqual([0.5, 3, 'only']);
          return -((x - 1) ** 2) + f + k;
        },
        { nTrials: 10 },
      );
      const trials = await study.trials(['COMPLETE']);
      expect(trials).toHaveLength(10);
      for (const t of trials) {
        expect(t.params.f).toBe(0.5);
        expect(t.params.k).toBe(3);
        expect(t.params.c).toBe('only');
        expect(t.params.x as number).toBeGreaterThanOrEqual(-2);
        expect(t.params.x as number).toBeLessThanOrEqual(2);
      }
    });
  }
});

describe('the joint samplers leave fixed parameters out', () => {
  it('searchable() drops low = high and single-choice parameters', () => {
    const space = {
      x: { type: 'float', low: 0, high: 1, log: false },
      f: { type: 'float', low: 0.5, high: 0.5, log: false },
      k: { type: 'int', low: 3, high: 3, log: false, step: 1 },
      c: { type: 'categorical', choices: ['only'] },
      d: { type: 'categorical', choices: ['a', 'b'] },
    } as const;
    expect(Object.keys(searchable(space as never))).toEqual(['x', 'd']);
    const all = { x: space.x, d: space.d };
    expect(searchable(all as never)).toBe(all);
  });
});

describe('values off the step grid are refused', () => {
  it('by SearchSpace.toValues, naming the parameter and the value', () => {
    const s = new SearchSpace({ x: { type: 'float', low: 0, high: 1, step: 0.25 }, k: { type: 'int', low: 0, high: 10, step: 2 } });
    expect(Array.from(s.toValues({ x: 0.75, k: 4 }))).toEqual([0.75, 4]);
    expect(Array.from(s.toValues({ x: 0.1 + 0.2 + 0.45, k: 10 }))).toHaveLength(2); // within the tolerance
    const offGrid = (values: Record<string, unknown>, message: RegExp) => {
      let err: unknown;
      try {
        s.toValues(values);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TunekitError);
      expect((err as TunekitError).code).toBe('INVALID_PARAMETER');
      expect((err as TunekitError).message).toMatch(message);
    };
    offGrid({ x: 0.3, k: 4 }, /params\.x: 0\.3 is not on the grid low \+ k·step \(low=0, step=0\.25\)/);
    offGrid({ x: 0.5, k: 3 }, /params\.k: 3 is not on the grid low \+ k·step \(low=0, step=2\)/);
    offGrid({ x: 1.25, k: 4 }, /params\.x: 1\.25 is outside \[0, 1\]/);
    offGrid({ x: 0.5, k: 2.5 }, /params\.k: 2\.5 is not an integer/);
    expect(s.contains({ x: 0.3, k: 4 })).toBe(false);
    expect(s.contains({ x: 0.25, k: 4 })).toBe(true);
  });

  it('by BayesianOptimization.register', () => {
    const bo = new BayesianOptimization({ pbounds: { x: { type: 'float', low: 0, high: 1, step: 0.1 } }, randomState: 1 });
    expect(() => bo.register({ x: 0.35 }, 1)).toThrow(/register params\.x: 0\.35 is not on the grid/);
    expect(() => bo.register({ x: 0.3 }, 1)).not.toThrow();
  });

  it('by a trial whose enqueued value is off the grid of the suggested distribution', async () => {
    const study = await createStudy({ name: name(), sampler: new RandomSampler({ seed: 3 }) });
    await study.enqueueTrial({ x: 0.3 });
    const t = await study.ask();
    expect(() => t.suggestFloat('x', 0, 1, { step: 0.25 })).toThrow(/the fixed value 0\.3 of "x" is not in/);
    await study.enqueueTrial({ x: 0.5 });
    const t2 = await study.ask();
    expect(t2.suggestFloat('x', 0, 1, { step: 0.25 })).toBe(0.5);
  });
});
