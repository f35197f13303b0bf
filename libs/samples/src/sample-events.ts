import { uuidv7 } from '@evidence-ledger/core';

// A realistic catalog event (~600 bytes canonical) with a fresh UUIDv7 id, for tests,
// benchmarks and demos; `overrides` replace top-level attributes.
export function sampleModelInvocation(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: uuidv7(),
    source: 'urn:acme:agent-gateway',
    type: 'model.invocation.completed',
    subject: 'github.com/acme/pay#482',
    time: '2026-11-21T05:00:00.000Z',
    datacontenttype: 'application/json',
    actor: { kind: 'agent', id: 'coding-agent-7', role: 'implementer' },
    changeid: 'github.com/acme/pay#482',
    data: {
      provider: 'anthropic',
      model: 'claude-sonnet',
      modelVersion: '2026-09-01',
      promptDigest: `sha256:${'a'.repeat(64)}`,
      responseDigest: `sha256:${'b'.repeat(64)}`,
      tokensIn: 1234,
      tokensOut: 567,
      costUsd: 0.0123,
      latencyMs: 812,
    },
    ...overrides,
  };
}
