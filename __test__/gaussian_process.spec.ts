// Gaussian-process regression against scikit-learn (reference/gp_reference.json).
import { describe, expect, it } from 'vitest';
import { GaussianProcessRegressor, TunekitError } from '../dist/index.js';
import { reference } from './helpers.js';

const ref = reference('gp_reference.json');
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

describe('GaussianProcessRegressor equals scikit-learn', () => {
  it.each(ref.cases.map((c: any) => [c.name, c]))('fixed kernel %s: mean, std and log marginal likelihood to 1e-6', async (_, c: any) => {
    const gp = new GaussianProcessRegressor({
      kernel: { kind: c.kind, lengthScale: c.length_scale, variance: c.variance },
      alpha: c.alpha,
      normalizeY: c.normalize_y,
      optimizer: false,
    });
    await gp.fit(ref.X_train, ref.y_train);
    const { mean, std } = gp.predict(ref.X_test, { returnStd: true });
    mean.forEach((m, i) => expect(rel(m, c.mean[i])).toBeLessThan(1e-6));
    std!.forEach((s, i) => expect(rel(s, c.std[i])).toBeLessThan(1e-6));
    expect(rel(gp.logMarginalLikelihood(), c.log_marginal_likelihood)).toBeLessThan(1e-6);
  });

  it("the fitted log marginal likelihood reaches scikit-learn's best (20 restarts) within 1e-3", async () => {
    const f = ref.fitted;
    const gp = new GaussianProcessRegressor({
      kernel: { kind: 'matern52', lengthScale: [1, 1, 1], variance: 1 },
      alpha: f.alpha,
      normalizeY: true,
      optimizer: { restarts: 5, seed: 0, bounds: { variance: f.bounds.constant, lengthScale: f.bounds.length_scale } },
    });
    await gp.fit(ref.X_train, ref.y_train);
    expect(gp.logMarginalLikelihood()).toBeGreaterThanOrEqual(f.log_marginal_likelihood - 1e-3);
    gp.kernel.lengthScale.forEach((l) => expect(l >= 0.01 && l <= 100).toBe(true));
  });

  it('rejects bad input with clear errors', async () => {
    const gp = new GaussianProcessRegressor();
    await expect(gp.fit([[0], [1]], [0, NaN])).rejects.toMatchObject({ code: 'INVALID_DATA', message: expect.stringMatching(/y\[1\] is NaN/) });
    await expect(gp.fit([[0], [NaN]], [0, 1])).rejects.toMatchObject({ code: 'INVALID_DATA', message: expect.stringMatching(/X\[1\]\[0\] is NaN/) });
    expect(() => gp.predict([[0]])).toThrow(TunekitError);
    await expect(new GaussianProcessRegressor({ kernel: { lengthScale: -1 } }).fit([[0], [1]], [0, 1])).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    // duplicate points do not break the fit
    const dup = await new GaussianProcessRegressor({ alpha: 1e-10 }).fit([[0.5], [0.5], [0.5], [1]], [1, 1, 1, 2]);
    expect(Number.isFinite(dup.logMarginalLikelihood())).toBe(true);
  });
});
