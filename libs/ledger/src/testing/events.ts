import { randomBytes } from 'node:crypto';

// UUIDv7 (RFC 9562 §5.7) for test events: time-ordered like a producer SDK would make them.
export function uuidv7(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// A realistic catalog event; `overrides` replace top-level attributes.
export function modelInvocation(overrides: Record<string, unknown> = {}): Record<string, unknown> {
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
