// The core's durable-write helpers, where the store's callers (the CLI's downloads and
// exports) have always found them.
export { pathExists, syncDirectory } from '@evidence-ledger/core';
