#!/usr/bin/env node
'use strict';
// The `evidence-ledger` command: runs the built CLI (`npm run build` first).
const { runCli } = require('../apps/cli/dist/main.js');

runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
