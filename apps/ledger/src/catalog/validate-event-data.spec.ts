import { CATALOG_EVENT_TYPES, CatalogEventType } from '@evidence-ledger/core';
import { readDataSchemas } from './catalog-schemas';
import { UNKNOWN_FIELD } from './field-violations';
import { commitSha, digest, invalidFieldExamples as cases, validEventData } from './testing/catalog-event-data';
import { validateEventData } from './validate-event-data';

const at = '[3].data';
const check = (type: string, data: unknown) => validateEventData(type, data, at);
const withField = (type: CatalogEventType, field: string, value: unknown) => ({ ...validEventData[type](), [field]: value });
const without = (type: CatalogEventType, field: string) => {
  const data = validEventData[type]();
  delete data[field];
  return data;
};

describe('validateEventData', () => {
  it('has a schema for every type of the v1 catalog', () => {
    expect(Object.keys(readDataSchemas()).sort()).toEqual([...CATALOG_EVENT_TYPES].sort());
  });

  describe.each(CATALOG_EVENT_TYPES)('%s', (type) => {
    it('accepts a valid example', () => {
      expect(check(type, validEventData[type]())).toEqual([]);
    });

    it('rejects an unknown field at its path', () => {
      expect(check(type, withField(type, 'comment', 'hi'))).toEqual([{ path: `${at}.comment`, message: UNKNOWN_FIELD }]);
    });

    it('rejects a value of the wrong type at its path, with one message', () => {
      const [field, value, message] = cases[type].wrong;
      expect(check(type, withField(type, field, value))).toEqual([{ path: `${at}.${field}`, message }]);
    });

    it('reports a missing required field at its path', () => {
      const field = cases[type].required;
      expect(check(type, without(type, field))).toEqual([{ path: `${at}.${field}`, message: 'is required' }]);
    });

    it('requires data to be present and an object', () => {
      expect(check(type, undefined)).toEqual([{ path: at, message: `is required for "${type}" events` }]);
      expect(check(type, null)).toEqual([{ path: at, message: 'must be a JSON object' }]);
      expect(check(type, [validEventData[type]()])).toEqual([{ path: at, message: 'must be a JSON object' }]);
    });
  });

  it('reports nested fields with their full path', () => {
    const data = validEventData['scan.completed']();
    data.findings = { critical: 0, high: -1, medium: 2.5, low: 0, info: 0, blocker: 1 };
    data.tool = { name: 'semgrep' };
    expect(check('scan.completed', data)).toEqual([
      { path: `${at}.tool.version`, message: 'is required' },
      { path: `${at}.findings.blocker`, message: UNKNOWN_FIELD },
      { path: `${at}.findings.high`, message: 'must not be negative' },
      { path: `${at}.findings.medium`, message: 'must be an integer' },
    ]);
  });

  it('names the offending index of an array', () => {
    const data = withField('change.committed', 'commits', [commitSha('a'), 'ABC123', commitSha('b'), 7]);
    expect(check('change.committed', data)).toEqual([
      { path: `${at}.commits[1]`, message: 'must be a full 40-hex-digit lowercase git commit SHA' },
      { path: `${at}.commits[3]`, message: 'must be a string' },
    ]);
  });

  it('names the offending index of an array inside a nested object', () => {
    const data = validEventData['agent.task.requested']();
    data.scope = { paths: ['src/**', ''], permissions: ['fs:write', 'x'.repeat(257)] };
    expect(check('agent.task.requested', data)).toEqual([
      { path: `${at}.scope.paths[1]`, message: 'must not be empty' },
      { path: `${at}.scope.permissions[1]`, message: 'must be at most 256 characters' },
    ]);
  });

  it('reports array size limits on the array itself', () => {
    const data = withField('change.opened', 'commits', []);
    expect(check('change.opened', data)).toEqual([{ path: `${at}.commits`, message: 'must hold at least 1 item' }]);
  });

  it('rejects a digest that is not "sha256:" and 64 lowercase hex digits', () => {
    for (const bad of [digest('a').toUpperCase(), 'sha256:abc', `sha512:${'a'.repeat(64)}`, 'a'.repeat(64)]) {
      expect(check('model.invocation.completed', withField('model.invocation.completed', 'promptDigest', bad))).toEqual([
        { path: `${at}.promptDigest`, message: 'must be a SHA-256 digest: "sha256:" and 64 lowercase hex digits' },
      ]);
    }
  });

  it('rejects a value outside a closed vocabulary, listing the accepted values', () => {
    expect(check('policy.decision.recorded', withField('policy.decision.recorded', 'decision', 'maybe'))).toEqual([
      { path: `${at}.decision`, message: 'must be one of "allow", "deny"' },
    ]);
  });

  it('does not convert types: a number sent as a string is rejected', () => {
    expect(check('model.invocation.completed', withField('model.invocation.completed', 'costUsd', '0.02'))).toEqual([
      { path: `${at}.costUsd`, message: 'must be a number' },
    ]);
  });

  it('treats an explicit null in an optional field as a wrong value, not as absent', () => {
    expect(check('review.decision.recorded', withField('review.decision.recorded', 'rationale', null))).toEqual([
      { path: `${at}.rationale`, message: 'must be a string' },
    ]);
  });

  it('accepts model parameters as a flat object of scalars only', () => {
    const type = 'model.invocation.completed';
    expect(check(type, withField(type, 'parameters', { temperature: 0, stop: 'END', stream: true }))).toEqual([]);
    expect(check(type, withField(type, 'parameters', { tools: [{ name: 'bash' }] }))).toEqual([
      { path: `${at}.parameters`, message: 'has a value at "tools" that is not a string, number or boolean' },
    ]);
  });

  it('wants a task summary or a description digest, and says so on both fields', () => {
    const type = 'agent.task.requested';
    expect(check(type, { ...without(type, 'summary'), descriptionDigest: digest('1') })).toEqual([]);
    expect(check(type, without(type, 'summary'))).toEqual([
      { path: `${at}.summary`, message: 'is required unless descriptionDigest is given' },
      { path: `${at}.descriptionDigest`, message: 'is required unless summary is given' },
    ]);
  });

  it('rejects an array where one nested object is expected', () => {
    const data = withField('agent.task.requested', 'agent', [{ id: 'agent-codegen-7' }]);
    expect(check('agent.task.requested', data)).toEqual([{ path: `${at}.agent`, message: 'must be an object' }]);
  });

  it('rejects keys named like Object.prototype members as the unknown fields they are', () => {
    const data = JSON.parse(`{"__proto__": {"x": 1}, "tool": {"name": "semgrep", "version": "1", "constructor": 2}}`);
    expect(check('scan.completed', { ...validEventData['scan.completed'](), ...data })).toEqual([
      { path: `${at}.__proto__`, message: UNKNOWN_FIELD },
      { path: `${at}.tool.constructor`, message: UNKNOWN_FIELD },
    ]);
    const methods = { ...validEventData['scan.completed'](), hasOwnProperty: { anything: ['goes'] }, tool: { toString: 'x' } };
    expect(check('scan.completed', methods)).toEqual([
      { path: `${at}.hasOwnProperty`, message: UNKNOWN_FIELD },
      { path: `${at}.tool.toString`, message: UNKNOWN_FIELD },
      { path: `${at}.tool.name`, message: 'is required' },
      { path: `${at}.tool.version`, message: 'is required' },
    ]);
  });

  it('never walks arbitrarily deep data: an unknown field is refused whole', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(check('scan.completed', withField('scan.completed', 'extra', deep))).toEqual([{ path: `${at}.extra`, message: UNKNOWN_FIELD }]);
    expect(check('scan.completed', withField('scan.completed', 'tool', deep))).toEqual([
      { path: `${at}.tool`, message: 'must be an object' },
    ]);
  });

  it('counts a character and its variation selector, or an emoji, as one character of a text field', () => {
    const type = 'agent.action.performed';
    expect(check(type, withField(type, 'taskId', 'a\uFE0F'.repeat(256)))).toEqual([]);
    expect(check(type, withField(type, 'taskId', '\u{1F600}'.repeat(256)))).toEqual([]);
    expect(check(type, withField(type, 'taskId', '\u{1F600}'.repeat(257)))).toEqual([
      { path: `${at}.taskId`, message: 'must be at most 256 characters' },
    ]);
  });

  it('names a wrong type once, even where items are checked too', () => {
    expect(check('change.opened', withField('change.opened', 'commits', 7))).toEqual([
      { path: `${at}.commits`, message: 'must be an array' },
    ]);
    expect(check('policy.decision.recorded', withField('policy.decision.recorded', 'decision', 1))).toEqual([
      { path: `${at}.decision`, message: 'must be one of "allow", "deny"' },
    ]);
  });

  it('never changes the data it validates', () => {
    for (const type of CATALOG_EVENT_TYPES) {
      const data = deepFreeze({ ...validEventData[type](), comment: 'unknown' });
      const before = JSON.stringify(data);
      check(type, data);
      expect(JSON.stringify(data)).toBe(before);
    }
  });

  it('reports paths relative to an empty root path without a leading dot', () => {
    const data = { ...validEventData['scan.completed'](), findings: { critical: 0, high: -1, medium: 0, low: 0, info: 0 } };
    expect(validateEventData('scan.completed', data, '')).toEqual([{ path: 'findings.high', message: 'must not be negative' }]);
    expect(validateEventData('scan.completed', 'x', '')).toEqual([{ path: '$', message: 'must be a JSON object' }]);
  });

  it('leaves x. events to the core: any data passes here', () => {
    for (const data of [{ anything: { nested: [1, 'two'] } }, [], 'text', 42, null, undefined]) {
      expect(check('x.custom.thing', data)).toEqual([]);
    }
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) Object.values(value).forEach(deepFreeze);
  return Object.freeze(value);
}
