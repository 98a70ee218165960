'use strict';
// Starts a TypeScript entry point of this repo. In a checkout (src/ and tsx present) the source runs
// through tsx with the `@giggles/source` export condition, so no build step is needed; in an image
// that only ships dist/, the compiled JavaScript runs.
const path = require('node:path');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');

function resolveTsx() {
  try {
    return require.resolve('tsx');
  } catch {
    return undefined;
  }
}

/** Runs `sourceFile` (absolute .ts path) or, when it cannot, `builtFile`; exits with its status. */
function launch(sourceFile, builtFile, args) {
  const tsx = resolveTsx();
  if (fs.existsSync(sourceFile) && tsx) {
    const result = spawnSync(
      process.execPath,
      ['--conditions=@giggles/source', '--import', pathToFileURL(tsx).href, sourceFile, ...args],
      // Legacy decorators for every lib source (contracts' validators), see tsconfig.tsx.json.
      { stdio: 'inherit', env: { ...process.env, TSX_TSCONFIG_PATH: process.env.TSX_TSCONFIG_PATH || path.join(__dirname, '..', 'tsconfig.tsx.json') } },
    );
    if (result.error) throw result.error;
    process.exit(result.status ?? (result.signal ? 128 : 1));
  }
  if (builtFile && fs.existsSync(builtFile)) {
    require(builtFile);
    return;
  }
  process.stderr.write(`giggles: cannot start ${path.basename(sourceFile)}: run "npm ci" (and "npm run build" for compiled use)\n`);
  process.exit(2);
}

module.exports = { launch };
