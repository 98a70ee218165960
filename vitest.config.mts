import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['libs/*/vitest.config.mts', 'services/*/vitest.config.mts', 'apps/*/vitest.config.mts'],
    reporters: ['default'],
  },
});
