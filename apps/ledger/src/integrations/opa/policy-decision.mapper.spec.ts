import { createHash } from 'node:crypto';
import { canonicalJson, envelopeViolations, InvalidEventError } from '@evidence-ledger/core';
import { validateEventData } from '../../catalog/validate-event-data';
import { foreignEventId } from '../foreign-event-id';
import { parseChangeIdPath } from './change-id-path';
import { mapDecisionLog } from './policy-decision.mapper';

// One OPA decision-log event, as OPA's decision-log plugin uploads it.
function decision(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    labels: { app: 'merge-gate', id: 'opa-7', version: '1.4.0' },
    decision_id: 'd7c1e3a0-0000-4000-8000-000000000001',
    bundles: { gate: { revision: 'rev-42' } },
    path: 'ai/merge_gate/allow',
    input: { change: { id: 'github.com/acme/pay#482' }, user: { email: 'alice@acme.com' } },
    result: true,
    requested_by: '10.0.0.7:51234',
    timestamp: '2026-07-02T10:00:00.123456789Z',
    ...overrides,
  };
}

const digest = (value: unknown) => `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;

function violationsOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidEventError) return [...e.violations];
    throw e;
  }
  throw new Error('expected the upload to be rejected');
}

describe('mapping OPA decision logs', () => {
  it('records each allow/deny decision as a valid policy.decision.recorded event', () => {
    const { events, ignored } = mapDecisionLog([decision(), decision({ decision_id: 'second', result: { allow: false } })]);
    expect(ignored).toEqual([]);
    expect(events).toHaveLength(2);
    expect(events[0]).toEqual({
      specversion: '1.0',
      id: foreignEventId('opa.decision', 'd7c1e3a0-0000-4000-8000-000000000001'),
      source: 'urn:opa:opa-7',
      type: 'policy.decision.recorded',
      time: '2026-07-02T10:00:00.123456789Z',
      datacontenttype: 'application/json',
      resultdigest: digest(true),
      engineversion: '1.4.0',
      data: {
        engine: 'opa',
        policyId: 'ai/merge_gate/allow',
        policyVersion: 'rev-42',
        inputDigest: digest(decision().input),
        decision: 'allow',
        violatedRules: [],
        decisionId: 'd7c1e3a0-0000-4000-8000-000000000001',
      },
    });
    expect(events[1].data).toMatchObject({ decision: 'deny' });
    for (const e of events) {
      expect(envelopeViolations(e)).toEqual([]);
      expect(validateEventData(e.type, e.data, 'data')).toEqual([]);
    }
  });

  it('never copies the input, the result or the requester into the event', () => {
    const text = JSON.stringify(mapDecisionLog([decision({ result: { allow: false, reason: 'alice is on leave' } })]).events);
    expect(text).not.toContain('alice');
    expect(text).not.toContain('10.0.0.7');
  });

  it('digests the input canonically, whatever its key order, and an absent input as null', () => {
    const a = mapDecisionLog([decision({ input: { b: 1, a: [1, 2] } })]).events[0].data as { inputDigest: string };
    const b = mapDecisionLog([decision({ input: { a: [1, 2], b: 1 } })]).events[0].data as { inputDigest: string };
    const none = mapDecisionLog([decision({ input: undefined })]).events[0].data as { inputDigest: string };
    expect(a.inputDigest).toBe(b.inputDigest);
    expect(none.inputDigest).toBe(digest(null));
  });

  it.each<[string, unknown, 'allow' | 'deny' | undefined]>([
    ['true', true, 'allow'],
    ['false', false, 'deny'],
    ['the string "true" of OPA\'s documentation example', 'true', 'allow'],
    ['{allow: true}', { allow: true, reasons: [] }, 'allow'],
    ['{allow: false}', { allow: false }, 'deny'],
    ['a set of deny messages', ['no approval'], undefined],
    ['{allowed: true}', { allowed: true }, undefined],
    ['a number', 1, undefined],
    ['no result (undefined rule)', undefined, undefined],
  ])('reads a result of %s as %s', (_what, result, outcome) => {
    const { events, ignored } = mapDecisionLog([decision({ result })]);
    if (outcome) expect(events[0].data).toMatchObject({ decision: outcome });
    else expect(ignored).toEqual([{ index: 0, reason: 'the result is neither a boolean nor an object with a boolean "allow"' }]);
  });

  it('passes over ad-hoc queries and decisions without a path, recording the rest', () => {
    const { events, ignored } = mapDecisionLog([
      decision({ path: undefined, query: 'data.x = y' }),
      decision(),
      decision({ path: undefined }),
    ]);
    expect(events).toHaveLength(1);
    expect(ignored).toEqual([
      { index: 0, reason: 'an ad-hoc query, not a policy decision' },
      { index: 2, reason: 'no policy path' },
    ]);
  });

  it('tolerates a slash-prefixed path', () => {
    expect(mapDecisionLog([decision({ path: '/ai/merge_gate/allow' })]).events[0].data).toMatchObject({ policyId: 'ai/merge_gate/allow' });
  });

  it.each<[string, unknown, string, string | undefined]>([
    ['one bundle', { gate: { revision: 'rev-42' } }, 'rev-42', undefined],
    ['several bundles, by name', { z: { revision: '2' }, a: { revision: '1' } }, 'a@1, z@2', undefined],
    ['no bundle', undefined, 'unversioned', undefined],
    ['a bundle without a revision', { gate: {} }, 'unversioned', undefined],
    [
      'an OCI bundle whose revision is its digest',
      { gate: { revision: `sha256:${'ab'.repeat(32)}` } },
      `sha256:${'ab'.repeat(32)}`,
      `sha256:${'ab'.repeat(32)}`,
    ],
  ])('takes the policy version from %s', (_what, bundles, policyVersion, bundleDigest) => {
    const data = mapDecisionLog([decision({ bundles })]).events[0].data as Record<string, unknown>;
    expect(data.policyVersion).toBe(policyVersion);
    expect(data.bundleDigest).toBe(bundleDigest);
  });

  it("reads OPA's pre-0.13 top-level revision", () => {
    expect(mapDecisionLog([decision({ bundles: undefined, revision: 'legacy-7' })]).events[0].data).toMatchObject({
      policyVersion: 'legacy-7',
    });
  });

  it('takes violated rule ids only from an explicit violated_rules array', () => {
    const data = mapDecisionLog([decision({ result: { allow: false, violated_rules: ['require_review'], deny: ['bob may not'] } })])
      .events[0].data;
    expect(data).toMatchObject({ decision: 'deny', violatedRules: ['require_review'] });
  });

  it('takes the change id from the input only at the path the operator names', () => {
    expect(mapDecisionLog([decision()]).events[0].changeid).toBeUndefined();
    const path = parseChangeIdPath('input.change.id');
    expect(mapDecisionLog([decision()], { changeIdPath: path }).events[0].changeid).toBe('github.com/acme/pay#482');
    expect(mapDecisionLog([decision({ input: { change: { id: 7 } } })], { changeIdPath: path }).events[0].changeid).toBeUndefined();
  });

  it('links the decision to its trace, and flags an input OPA redacted', () => {
    const [event] = mapDecisionLog([decision({ trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', erased: ['/input/user/email'] })]).events;
    expect(event).toMatchObject({ correlationid: '4bf92f3577b34da6a3ce929d0e0e4736', inputredacted: true });
  });

  it('names the source "urn:opa" when the instance has no id label', () => {
    expect(mapDecisionLog([decision({ labels: undefined })]).events[0].source).toBe('urn:opa');
  });

  it('rejects the whole upload, naming every malformed field by its place in the upload', () => {
    const violations = violationsOf(() =>
      mapDecisionLog([
        decision(),
        'not an object',
        decision({ decision_id: undefined, timestamp: 'yesterday' }),
        decision({ labels: { id: 7 }, result: { allow: true, violated_rules: 'all' } }),
        decision({ path: 'p'.repeat(300) }),
      ]),
    );
    expect(violations.map((v) => v.path)).toEqual([
      '[1]',
      '[2].decision_id',
      '[2].timestamp',
      '[3].labels.id',
      '[3].result.violated_rules',
      '[4].path',
    ]);
  });

  it('refuses an input nested too deeply to digest, instead of failing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(violationsOf(() => mapDecisionLog([decision({ input: deep })]))).toEqual([
      { path: '[0].input', message: 'is nested too deeply to digest' },
    ]);
  });
});
