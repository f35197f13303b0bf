import { CATALOG_EVENT_TYPES, CatalogEventType, FieldViolation, LIMITS } from '@evidence-ledger/core';
import Ajv from 'ajv';
import { isDeepStrictEqual } from 'node:util';
import { mulberry32 } from '@evidence-ledger/samples';
import { readDataSchemas } from './catalog-schemas';
import { commitSha, digest, invalidFieldExamples, validEventData } from './testing/catalog-event-data';
import { validateEventData } from './validate-event-data';

// Differential test of the service's validation against a standard JSON Schema validator
// given the published schemas as they are: for valid samples of every type and thousands of
// mutations of them, both must accept and refuse the same JSON. The one place they may
// differ is text with a variation selector, which the service counts as part of the
// character before it (docs/event-catalog.md). Every refusal names at least one field.

const at = '[3].data';
type Key = string | number;
type Path = readonly Key[];
interface Case {
  readonly what: string;
  readonly data: unknown;
}
type Outcome = FieldViolation[] | { threw: string };

const REMOVE = Symbol('remove');
const VARIATION_SELECTOR = /[\uFE0E\uFE0F]/;

const published = readDataSchemas();
const reference = new Ajv({ allErrors: true, strictNumbers: true, allowUnionTypes: true });
const referenceOf = Object.fromEntries(CATALOG_EVENT_TYPES.map((type) => [type, reference.compile(published[type])]));

describe('validateEventData on a corpus of mutations', () => {
  describe.each(CATALOG_EVENT_TYPES)('%s', (type) => {
    let cases: Case[] = [];
    beforeAll(() => (cases = casesFor(type).filter(({ data }) => isPlainJson(data))));

    it('accepts and refuses exactly what the published schema does', () => {
      const mismatches = cases.flatMap(({ what, data }) => {
        const service = outcome(() => validateEventData(type, data, at));
        const schema = referenceOf[type](data);
        if ('threw' in service) return [`${what}: threw ${service.threw}`];
        if ((service.length === 0) === schema) return [];
        if (VARIATION_SELECTOR.test(JSON.stringify(data))) return [];
        return [`${what}: the service says ${show(service)}, the schema ${schema ? 'accepts' : 'refuses'}`];
      });
      expect(mismatches).toEqual([]);
      expect(cases.length).toBeGreaterThan(1000);
      expect(cases.filter(({ data }) => referenceOf[type](data)).length).toBeGreaterThan(100);
    });

    it('names every refused field under the data path, once per message', () => {
      const bad = cases.flatMap(({ what, data }) => {
        const violations = validateEventData(type, data, at);
        const keys = violations.map((v) => `${v.path} ${v.message}`);
        return violations.some((v) => !v.path.startsWith(at) || !v.message) || new Set(keys).size !== keys.length ? [what] : [];
      });
      expect(bad).toEqual([]);
    });
  });

  it('refuses what is not a JSON object, and leaves x. types to the core', () => {
    for (const data of [null, 'text', 42, [], [{}]]) {
      expect(validateEventData('scan.completed', data, at)).toEqual([{ path: at, message: 'must be a JSON object' }]);
      expect(validateEventData('x.custom.thing', data, at)).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The corpus.

function casesFor(type: CatalogEventType): Case[] {
  const base = validEventData[type]();
  const cases: Case[] = [
    { what: 'the valid sample', data: base },
    { what: 'the valid sample after a JSON round trip', data: JSON.parse(JSON.stringify(base)) },
    {
      what: 'the sample with a wrong-typed field',
      data: { ...base, [invalidFieldExamples[type].wrong[0]]: invalidFieldExamples[type].wrong[1] },
    },
    { what: 'the valid sample without a prototype', data: Object.assign(Object.create(null), base) },
    { what: 'the valid sample as a class instance', data: Object.assign(new (class Data {})(), base) },
    ...extraCases(type, base),
  ];
  for (const [path, value] of nodes(base)) {
    const where = path.length === 0 ? '$' : path.join('.');
    if (path.length > 0) {
      cases.push({ what: `${where} removed`, data: setAt(base, path, REMOVE) });
      for (const [label, replacement] of VALUES) cases.push({ what: `${where} = ${label}`, data: setAt(base, path, replacement) });
    }
    if (isObject(value)) {
      for (const [key, label, extra] of EXTRA_KEYS) cases.push({ what: `${where} + ${label}`, data: setAt(base, [...path, key], extra) });
      for (const n of [63, 64, 65]) cases.push({ what: `${where} with ${n} keys`, data: setAt(base, path, padded(value, n)) });
    }
    if (Array.isArray(value)) {
      for (const n of ARRAY_LENGTHS)
        cases.push({
          what: `${where} with ${n} items`,
          data: setAt(
            base,
            path,
            Array.from({ length: n }, (_, i) => value[i % value.length] ?? 'x'),
          ),
        });
      cases.push({ what: `${where} with a hole`, data: setAt(base, path, withHole(value)) });
      cases.push({ what: `${where} with a null item`, data: setAt(base, path, [...value, null]) });
      cases.push({ what: `${where} with a nested array`, data: setAt(base, path, [...value, [...value]]) });
    }
  }
  return [...cases, ...randomCombinations(type, base, cases.length)];
}

// Each case applies one change; these apply several at once, so conditions (optional fields,
// "required unless") meet each other's mutations.
function randomCombinations(type: CatalogEventType, base: Record<string, unknown>, seed: number): Case[] {
  const random = mulberry32(seed + type.length);
  const paths = nodes(base)
    .map(([path]) => path)
    .filter((path) => path.length > 0);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  return Array.from({ length: 400 }, (_, i) => {
    let data: unknown = base;
    const steps: string[] = [];
    for (let n = 2 + (i % 3); n > 0; n--) {
      const path = pick(paths);
      const [label, value] = random() < 0.2 ? (['removed', REMOVE] as const) : random() < 0.5 ? pick(VALID_VALUES) : pick(VALUES);
      data = setAt(data, path, value);
      steps.push(`${path.join('.')} = ${label}`);
    }
    return { what: steps.join(', '), data };
  });
}

function extraCases(type: CatalogEventType, base: Record<string, unknown>): Case[] {
  const cases: Case[] = [
    { what: 'a __proto__ key from JSON.parse', data: { ...base, ...JSON.parse('{"__proto__": {"x": 1}}') } },
    { what: 'a deeply nested extra field', data: { ...base, extra: nested(40) } },
  ];
  if (type === 'agent.task.requested') {
    const { summary: _summary, ...rest } = base;
    cases.push(
      { what: 'digest instead of summary', data: { ...rest, descriptionDigest: digest('1') } },
      { what: 'summary and digest', data: { ...base, descriptionDigest: digest('1') } },
      { what: 'neither summary nor digest', data: rest },
      { what: 'digest null, no summary', data: { ...rest, descriptionDigest: null } },
      { what: 'summary null, digest given', data: { ...rest, summary: null, descriptionDigest: digest('1') } },
      { what: 'summary empty, digest given', data: { ...base, summary: '', descriptionDigest: digest('1') } },
      { what: 'summary given, digest malformed', data: { ...base, descriptionDigest: 'sha256:abc' } },
    );
  }
  return cases;
}

// Replacement values: every JSON type, values at and past each limit of the catalog, and a
// few things JSON cannot hold (which a producer cannot send, and the corpus leaves out).
const emoji = '\u{1F600}';
const longStrings = [...new Set([...limitsIn('maxLength'), LIMITS.maxAttributeLength, 40, 64, 71, 128])].flatMap(
  (n): [string, unknown][] => [
    [`${n} chars`, 'x'.repeat(n)],
    [`${n + 1} chars`, 'x'.repeat(n + 1)],
    [`${n} emoji`, emoji.repeat(n)],
    [`${n + 1} emoji`, emoji.repeat(n + 1)],
    [`${n} chars with variation selectors`, 'a\uFE0F'.repeat(n)],
    [`${n / 2} emoji`, emoji.repeat(Math.floor(n / 2))],
    [`${n / 2 + 1} emoji`, emoji.repeat(Math.floor(n / 2) + 1)],
  ],
);
const VALID_VALUES: readonly [string, unknown][] = [
  ['"x"', 'x'],
  ['0', 0],
  ['1', 1],
  ['true', true],
  ['false', false],
  ['a digest', digest('e')],
  ['a commit', commitSha('ab')],
  ['a date', '2026-07-01T00:00:00Z'],
  ['a date with offset and fraction', '2026-07-01T00:00:00.123456789+05:30'],
  ...['human', 'agent', 'service', 'allow', 'deny', 'sast', 'approve', 'security', 'tool_call', 'blocked'].map((v): [string, unknown] => [
    `"${v}"`,
    v,
  ]),
  ['{kind,id}', { kind: 'human', id: 'carol' }],
  ['{id}', { id: 'agent-1' }],
  ['{name,version}', { name: 'trivy', version: '0.50.0' }],
  ['[commit]', [commitSha('cd')]],
  ['["x"]', ['x']],
  ['{}', {}],
  ['[]', []],
];
const VALUES: readonly [string, unknown][] = [
  ...VALID_VALUES,
  ['null', null],
  ['""', ''],
  ['" "', ' '],
  ['"\\uFE0F"', '\uFE0F'],
  ['a lone surrogate', '\uD800'],
  ['an emoji', emoji],
  ['"1200"', '1200'],
  ['-0', -0],
  ['-1', -1],
  ['-1e-9', -1e-9],
  ['0.5', 0.5],
  ['0.0183', 0.0183],
  ...[1e6, 86_400_000, 1e9, 1e12].flatMap((n): [string, unknown][] => [
    [`${n}`, n],
    [`${n} + 0.5`, n + 0.5],
    [`${n} + 1`, n + 1],
  ]),
  ['2^53 - 1', Number.MAX_SAFE_INTEGER],
  ['2^53', 2 ** 53],
  ['2^53 + 2', 2 ** 53 + 2],
  ['1e300', 1e300],
  ['-1e300', -1e300],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['undefined', undefined],
  ['an uppercase digest', digest('a').toUpperCase()],
  ['a short digest', 'sha256:abc'],
  ['a sha512 digest', `sha512:${'a'.repeat(64)}`],
  ['a bare hex digest', 'a'.repeat(64)],
  ['a digest and a newline', `${digest('a')}\n`],
  ['a 65-digit digest', `${digest('a')}0`],
  ['an uppercase commit', commitSha('AB')],
  ['a 39-digit commit', '4'.repeat(39)],
  ['a 41-digit commit', '4'.repeat(41)],
  ['a commit and a newline', `${commitSha('4a')}\n`],
  ['a date without offset', '2026-07-01T00:00:00'],
  ['a date with a space', '2026-07-01 00:00:00Z'],
  ['a date with 10 fraction digits', '2026-07-01T00:00:00.1234567890Z'],
  ['a date with a short offset', '2026-07-01T00:00:00+0100'],
  ['an impossible date', '2026-13-45T99:99:99Z'],
  ['a date and a newline', '2026-07-01T00:00:00Z\n'],
  ['a lowercase date', '2026-07-01t00:00:00z'],
  ['a date with Arabic-Indic digits', '٢٠٢٦-07-01T00:00:00Z'],
  ['"Human"', 'Human'],
  ['"human "', 'human '],
  ['[null]', [null]],
  ['[1]', [1]],
  ['[""]', ['']],
  ['[[]]', [[]]],
  ['[{}]', [{}]],
  ['{kind:"robot",id}', { kind: 'robot', id: 'x' }],
  ['{kind,id,extra}', { kind: 'human', id: 'x', extra: 1 }],
  ['{toString}', { toString: 'x' }],
  ['nested 31 deep', nested(31)],
  ['nested 33 deep', nested(33)],
  ['a Date', new Date(0)],
  ['a String object', new String('x')],
  ['a Number object', new Number(1)],
  ['a Boolean object', new Boolean(true)],
  ['a bigint', BigInt(1)],
  ['an object without prototype', Object.assign(Object.create(null), { kind: 'human', id: 'x' })],
  ['a Map', new Map([['kind', 'human']])],
  ['a Set', new Set(['x'])],
  ...longStrings,
];
const ARRAY_LENGTHS = [0, 1, 2, ...new Set(limitsIn('maxItems'))].flatMap((n) => (n > 2 ? [n - 1, n, n + 1] : [n]));
const EXTRA_KEYS: readonly [key: string, label: string, value: unknown][] = [
  ['comment', 'an unknown field', 'hi'],
  ['comment', 'an unknown null field', null],
  ['comment', 'an unknown undefined field', undefined],
  ['toString', 'a toString field', { payload: 1 }],
  ['hasOwnProperty', 'a hasOwnProperty field', 'x'],
  ['valueOf', 'a valueOf field', 1],
  ['__proto__', 'a __proto__ field', { polluted: true }],
  ['constructor', 'a constructor field', 'x'],
  ['', 'an empty key', 1],
  ['k'.repeat(128), 'a 128-char key', 1],
  ['k'.repeat(129), 'a 129-char key', 1],
  [emoji.repeat(64), 'a 64-emoji key', 1],
  [emoji.repeat(65), 'a 65-emoji key', 1],
  ['p', 'a key holding an object', { a: 1 }],
  ['q', 'a key holding a 1025-char string', 'x'.repeat(1025)],
  ['r', 'a key holding a 512-emoji string', emoji.repeat(512)],
  ['s', 'a key holding a 513-emoji string', emoji.repeat(513)],
  ['t', 'a key holding NaN', NaN],
];

// ---------------------------------------------------------------------------------------------
// Helpers.

// Every value in the tree with its path, the root first.
function nodes(value: unknown, path: Path = []): [Path, unknown][] {
  const children = Array.isArray(value)
    ? value.flatMap((item, i) => nodes(item, [...path, i]))
    : isObject(value)
      ? Object.entries(value).flatMap(([key, child]) => nodes(child, [...path, key]))
      : [];
  return [[path, value], ...children];
}

// A copy of `root` with the value at `path` replaced (or removed); `root` is not changed.
function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path;
  if (Array.isArray(root) && typeof key === 'number') {
    const copy = [...root];
    if (value === REMOVE && rest.length === 0) copy.splice(key, 1);
    else copy[key] = setAt(root[key], rest, value);
    return copy;
  }
  if (!isObject(root)) return root; // an earlier change replaced the parent
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(root)) define(copy, k, v);
  if (value === REMOVE && rest.length === 0) delete copy[key];
  else define(copy, String(key), setAt(root[key], rest, value));
  return copy;
}

// As JSON.parse does: an own property, even for "__proto__".
function define(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

function padded(object: Record<string, unknown>, keys: number): Record<string, unknown> {
  const copy = { ...object };
  for (let i = 0; Object.keys(copy).length < keys; i++) copy[`p${i}`] = i;
  return copy;
}

function withHole(items: unknown[]): unknown[] {
  const copy = [...items];
  copy.length += 1;
  copy.push(items[0]);
  return copy;
}

// Every value of `keyword` in the published schemas: the limits worth probing at and past.
function limitsIn(keyword: string): number[] {
  const found: number[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null)
      for (const [key, value] of Object.entries(node)) {
        if (key === keyword && typeof value === 'number') found.push(value);
        else walk(value);
      }
  };
  walk(Object.values(published));
  return found;
}

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { v: value };
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Survives a JSON round trip unchanged, prototypes included: what a producer can send.
function isPlainJson(value: unknown): boolean {
  try {
    return isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value);
  } catch {
    return false;
  }
}

function outcome(validate: () => FieldViolation[]): Outcome {
  try {
    return validate();
  } catch (error) {
    return { threw: String(error) };
  }
}

function show(value: unknown): string {
  return JSON.stringify(value)?.slice(0, 300) ?? String(value);
}
