#!/usr/bin/env node
'use strict';
const path = require('node:path');
const { launch } = require('./launch');

const root = path.join(__dirname, '..');
launch(path.join(root, 'src', 'main.ts'), path.join(root, 'dist', 'main.js'), process.argv.slice(2));
