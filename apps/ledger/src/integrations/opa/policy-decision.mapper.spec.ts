import { createHash } from 'node:crypto';
import { canonicalJson, envelopeViolations } from '@evidence-ledger/core';
import { validateEventData } from '../../catalog/validate-event-data';
import { foreignEventId } from '../foreign-event-id';
import { parseChangeIdPath } from './change-id-path';
import { DecisionLogOptions, MALFORMED_DECISION, mapDecisionLog } from './policy-decision.mapper';

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

// The mapping with the events alone, in upload order.
function mapped(decisions: readonly unknown[], options?: DecisionLogOptions) {
  const { decisions: recorded, ignored } = mapDecisionLog(decisions, options);
  return { events: recorded.map((d) => d.event), indexes: recorded.map((d) => d.index), ignored };
}

const digest = (value: unknown) => `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;

describe('mapping OPA decision logs', () => {
  it('records each allow/deny decision as a valid policy.decision.recorded event', () => {
    const { events, ignored } = mapped([decision(), decision({ decision_id: 'second', result: { allow: false } })]);
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
    const text = JSON.stringify(mapped([decision({ result: { allow: false, reason: 'alice is on leave' } })]).events);
    expect(text).not.toContain('alice');
    expect(text).not.toContain('10.0.0.7');
  });

  it('digests the input canonically, whatever its key order, and an absent input as null', () => {
    const a = mapped([decision({ input: { b: 1, a: [1, 2] } })]).events[0].data as { inputDigest: string };
    const b = mapped([decision({ input: { a: [1, 2], b: 1 } })]).events[0].data as { inputDigest: string };
    const none = mapped([decision({ input: undefined })]).events[0].data as { inputDigest: string };
    expect(a.inputDigest).toBe(b.inputDigest);
    expect(none.inputDigest).toBe(digest(null));
  });

  it.each<[string, unknown, 'allow' | 'deny' | undefined]>([
    ['true', true, 'allow'],
    ['false', false, 'deny'],
    ['the string "true" of OPA\'s documentation example', 'true', 'allow'],
    ['{allow: true}', { allow: true, reasons: [] }, 'allow'],
    ['{allow: false}', { allow: false }, 'deny'],
    ['{allow: "false"}', { allow: 'false' }, 'deny'],
    ['the string "false"', 'false', 'deny'],
    ['the string "TRUE"', 'TRUE', undefined],
    ['a set of deny messages', ['no approval'], undefined],
    ['{allowed: true}', { allowed: true }, undefined],
    ['a number', 1, undefined],
    ['no result (undefined rule)', undefined, undefined],
  ])('reads a result of %s as %s', (_what, result, outcome) => {
    const { events, ignored } = mapped([decision({ result })]);
    if (outcome) expect(events[0].data).toMatchObject({ decision: outcome });
    else expect(ignored).toEqual([{ index: 0, reason: 'the result is neither a boolean nor an object with a boolean "allow"' }]);
  });

  it('passes over ad-hoc queries and decisions without a path, recording the rest', () => {
    const { events, ignored } = mapped([decision({ path: undefined, query: 'data.x = y' }), decision(), decision({ path: undefined })]);
    expect(events).toHaveLength(1);
    expect(ignored).toEqual([
      { index: 0, reason: 'an ad-hoc query, not a policy decision' },
      { index: 2, reason: 'no policy path' },
    ]);
  });

  it('tolerates a slash-prefixed path', () => {
    expect(mapped([decision({ path: '/ai/merge_gate/allow' })]).events[0].data).toMatchObject({ policyId: 'ai/merge_gate/allow' });
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
    const data = mapped([decision({ bundles })]).events[0].data as Record<string, unknown>;
    expect(data.policyVersion).toBe(policyVersion);
    expect(data.bundleDigest).toBe(bundleDigest);
  });

  it("reads OPA's pre-0.13 top-level revision", () => {
    expect(mapped([decision({ bundles: undefined, revision: 'legacy-7' })]).events[0].data).toMatchObject({
      policyVersion: 'legacy-7',
    });
  });

  it('takes violated rule ids only from an explicit violated_rules array', () => {
    const data = mapped([decision({ result: { allow: false, violated_rules: ['require_review'], deny: ['bob may not'] } })]).events[0].data;
    expect(data).toMatchObject({ decision: 'deny', violatedRules: ['require_review'] });
  });

  it('takes the change id from the input only at the path the operator names', () => {
    expect(mapped([decision()]).events[0].changeid).toBeUndefined();
    const path = parseChangeIdPath('input.change.id');
    expect(mapped([decision()], { changeIdPath: path }).events[0].changeid).toBe('github.com/acme/pay#482');
    expect(mapped([decision({ input: { change: { id: 7 } } })], { changeIdPath: path }).events[0].changeid).toBeUndefined();
  });

  it('links the decision to its trace, and flags an input OPA redacted', () => {
    const [event] = mapped([decision({ trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', erased: ['/input/user/email'] })]).events;
    expect(event).toMatchObject({ correlationid: '4bf92f3577b34da6a3ce929d0e0e4736', inputredacted: true });
  });

  it('names the source "urn:opa" when the instance has no id label', () => {
    expect(mapped([decision({ labels: undefined })]).events[0].source).toBe('urn:opa');
  });

  it('records the well-formed decisions and lists each malformed one with every field at fault, by its place', () => {
    const { indexes, ignored } = mapped([
      decision({ decision_id: 'first' }),
      'not an object',
      decision({ decision_id: undefined, timestamp: 'yesterday' }),
      decision({ decision_id: 'third', labels: { id: 7 } }),
      decision({ decision_id: 'fourth', path: 'p'.repeat(300) }),
      decision({ decision_id: 'last' }),
    ]);
    expect(indexes).toEqual([0, 5]);
    expect(ignored).toEqual([
      { index: 1, reason: MALFORMED_DECISION, errors: [{ path: '[1]', message: 'must be a JSON object (an OPA decision log event)' }] },
      {
        index: 2,
        reason: MALFORMED_DECISION,
        errors: [
          { path: '[2].decision_id', message: 'is required' },
          { path: '[2].timestamp', message: 'must be an RFC 3339 timestamp' },
        ],
      },
      { index: 3, reason: MALFORMED_DECISION, errors: [{ path: '[3].labels.id', message: 'must be a string' }] },
      { index: 4, reason: MALFORMED_DECISION, errors: [{ path: '[4].path', message: 'must be at most 256 characters' }] },
    ]);
  });

  it('records a decision_id once per upload, listing its repeats', () => {
    const { indexes, ignored } = mapped([decision(), decision({ result: false }), decision()]);
    expect(indexes).toEqual([0]);
    expect(ignored).toEqual([
      { index: 1, reason: 'repeats the decision_id of decision [0] of this upload' },
      { index: 2, reason: 'repeats the decision_id of decision [0] of this upload' },
    ]);
  });

  it('passes over an input nested too deeply to digest, or holding a number no double holds, and records the rest', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const { indexes, ignored } = mapped([
      decision({ input: deep }),
      decision({ decision_id: 'b', input: [Infinity] }),
      decision({ decision_id: 'c' }),
    ]);
    expect(indexes).toEqual([2]);
    expect(ignored.map((i) => i.errors)).toEqual([
      [{ path: '[0].input', message: 'is nested too deeply to digest' }],
      [{ path: '[1].input', message: 'holds a number beyond the range of a double (e.g. 1e400), which RFC 8785 cannot write' }],
    ]);
  });

  describe('violated_rules as policies write them', () => {
    const rulesOf = (violated: unknown) => {
      const { events } = mapped([decision({ result: { allow: false, violated_rules: violated } })]);
      expect(events).toHaveLength(1);
      expect(validateEventData(events[0].type, events[0].data, 'data')).toEqual([]);
      return { rules: (events[0].data as { violatedRules: string[] }).violatedRules, count: events[0].violatedrulecount };
    };
    const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

    it('copies rule id strings', () => {
      expect(rulesOf(['require_review', 'no_secrets'])).toEqual({ rules: ['require_review', 'no_secrets'], count: undefined });
    });
    it('writes objects, numbers, booleans and null as their RFC 8785 JSON text', () => {
      expect(rulesOf([{ msg: 'needs review', id: 'require_review' }, 7, 1.5, true, null, '']).rules).toEqual([
        '{"id":"require_review","msg":"needs review"}',
        '7',
        '1.5',
        'true',
        'null',
        '""',
      ]);
    });
    it('writes an entry over 256 characters as the SHA-256 of its JSON text', () => {
      const long = 'r'.repeat(300);
      const object = { id: 'x', detail: 'd'.repeat(300) };
      expect(rulesOf([long, object]).rules).toEqual([sha(JSON.stringify(long)), sha(canonicalJson(object))]);
    });
    it('records the first 256 of more, with the count', () => {
      const many = Array.from({ length: 300 }, (_, i) => `rule_${i}`);
      expect(rulesOf(many)).toEqual({ rules: many.slice(0, 256), count: 300 });
      expect(rulesOf(many.slice(0, 256)).count).toBeUndefined();
    });
    it('takes a single value that is not an array as the only entry', () => {
      expect(rulesOf('all').rules).toEqual(['all']);
    });
  });
});
