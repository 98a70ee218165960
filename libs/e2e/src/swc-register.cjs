'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload (`node -r`), loaded before any TypeScript */
/**
 * `node -r libs/e2e/src/swc-register.cjs --conditions=@giggles/source services/gateway/src/main.ts`:
 * compiles the repository's TypeScript on the fly with SWC as CommonJS, with legacy decorators
 * AND decorator metadata — what tsc emits for the builds and SWC for the tests. tsx (esbuild)
 * emits no metadata, which the pipeline services do without (they inject by token), but the
 * gateway's OpenAPI document reads DTO property types from it (`design:type`), so the gateway
 * runs from source through this instead. No build step, always the working tree.
 */
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

const OPTIONS = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

process.setSourceMapsEnabled(true);
require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...OPTIONS, filename });
  module._compile(code, filename);
};
