import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__test__/**/*.spec.ts'],
    globalSetup: ['__test__/global_setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The native core already uses every core; running spec files one at a
    // time keeps timings honest and the event-loop test meaningful.
    fileParallelism: false,
  },
});
