// Test factories: the ledger's sample events and time-ordered ids.
export { uuidv7 } from '@evidence-ledger/core';
export { sampleModelInvocation as modelInvocation } from '@evidence-ledger/samples';
