#!/usr/bin/env node
// The command line ships as one bundle built by `npm install` (scripts/build-cli.mjs).
require('../dist/cli.cjs').runFromCommandLine();
