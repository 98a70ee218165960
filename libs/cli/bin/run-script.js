#!/usr/bin/env node
'use strict';
// `node libs/cli/bin/run-script.js path/to/script.ts [args]`: runs a repo script (eval, bench) from source.
const path = require('node:path');
const { launch } = require('./launch');

const [script, ...args] = process.argv.slice(2);
if (!script) {
  process.stderr.write('usage: run-script.js <script.ts> [args...]\n');
  process.exit(2);
}
launch(path.resolve(script), undefined, args);
