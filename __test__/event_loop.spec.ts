// The event loop stays free while the native core works on all cores.
import { expect, it } from 'vitest';
import { datasets, GridSearchCV, SVC } from '../dist/index.js';

it('a timer keeps firing on schedule while a digits grid search runs', async () => {
  const { X, y } = datasets.loadDigits();
  const ticks: number[] = [];
  const timer = setInterval(() => ticks.push(performance.now()), 10);
  const t0 = performance.now();
  const search = new GridSearchCV(new SVC(), { C: [0.1, 1, 10, 100], gamma: [1e-4, 1e-3, 1e-2] }, { cv: 5, refit: false });
  await search.fit(X, y);
  const elapsed = performance.now() - t0;
  clearInterval(timer);
  // The search must take long enough for the check to mean something…
  expect(elapsed).toBeGreaterThan(100);
  expect(search.bestScore).toBeGreaterThan(0.95);
  // …and the timer must have fired throughout, never stalled for long.
  const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
  expect(ticks.length).toBeGreaterThan(elapsed / 10 / 4);
  expect(Math.max(...gaps)).toBeLessThan(250);
});
