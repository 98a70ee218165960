import swc from 'unplugin-swc';
import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * One test set-up for every project. SWC compiles the TypeScript so NestJS decorator metadata is
 * emitted (esbuild does not), and the `@giggles/source` export condition makes `@giggles/*`
 * imports resolve to each lib's `src/` instead of its build output.
 */
export function projectConfig(name: string, overrides: UserWorkspaceConfig['test'] = {}) {
  return defineProject({
    plugins: [swc.vite({ jsc: { target: 'es2022', transform: { legacyDecorator: true, decoratorMetadata: true } } })],
    resolve: { conditions: ['@giggles/source', 'node'] },
    ssr: { resolve: { conditions: ['@giggles/source', 'node'], externalConditions: ['@giggles/source'] } },
    test: {
      name,
      environment: 'node',
      include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      ...overrides,
    },
  });
}
