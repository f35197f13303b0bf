#!/usr/bin/env node
import { processIo } from '../command/command-io';
import { runVerifyCommandLine } from '../command/verify-command-line';

void runVerifyCommandLine(process.argv.slice(2), processIo).then((code) => {
  process.exitCode = code;
});
