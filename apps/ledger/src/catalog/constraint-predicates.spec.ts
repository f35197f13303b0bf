import { RFC3339 } from '@evidence-ledger/core';
import {
  ARRAY_MAX_SIZE,
  ARRAY_MIN_SIZE,
  arrayMaxSize,
  arrayMinSize,
  IS_ARRAY,
  IS_BOOLEAN,
  IS_IN,
  IS_INT,
  IS_NUMBER,
  IS_OBJECT,
  IS_STRING,
  isArray,
  isBoolean,
  isIn,
  isInt,
  isNumber,
  isObject,
  isString,
  MATCHES,
  matches,
  max,
  MAX,
  MAX_LENGTH,
  maxLength,
  min,
  MIN,
  MIN_LENGTH,
  minLength,
} from 'class-validator';
import { jsonValuePredicate, VALUE_ONLY_CONSTRAINTS } from './constraint-predicates';
import { GIT_COMMIT_SHA, IS_SCALAR_MAP, REQUIRED_UNLESS, SHA256_DIGEST } from './validators';

const emoji = '\u{1F600}';
const JSON_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  -1,
  0.5,
  1e6,
  1e6 + 1,
  2 ** 53,
  -(2 ** 60),
  1e300,
  '',
  ' ',
  'a',
  '0',
  '\uFE0F',
  '\uFE0E\uFE0F',
  'a\uFE0F',
  '\uD800',
  '\uDC00\uD800',
  emoji,
  `${emoji}\uFE0F`,
  'a\uFE0F'.repeat(256),
  'a\uFE0F'.repeat(257),
  emoji.repeat(256),
  emoji.repeat(257),
  'x'.repeat(256),
  'x'.repeat(257),
  `sha256:${'0'.repeat(64)}`,
  `sha256:${'0'.repeat(64)}\n`,
  `sha256:${'A'.repeat(64)}`,
  '0'.repeat(40),
  `${'0'.repeat(40)}\n`,
  '2026-07-01T00:00:00Z',
  '2026-07-01T00:00:00',
  '٢٠٢٦-07-01T00:00:00Z',
  'human',
  'Human',
  [],
  ['a'],
  [1, 'a'],
  Array.from({ length: 64 }, () => 'a'),
  Array.from({ length: 65 }, () => 'a'),
  {},
  { a: 1 },
];

// Each constraint the fast path writes out, with the arguments the catalog gives it and
// class-validator's own function for it.
const CASES: [name: string, constraints: unknown[], own: (value: unknown) => boolean][] = [
  [IS_STRING, [], isString],
  [IS_BOOLEAN, [], isBoolean],
  [IS_INT, [], isInt],
  [IS_NUMBER, [{ allowNaN: false, allowInfinity: false }], (v) => isNumber(v, { allowNaN: false, allowInfinity: false })],
  [IS_ARRAY, [], isArray],
  [IS_OBJECT, [], isObject],
  [IS_IN, [['human', 'agent', 'service']], (v) => isIn(v, ['human', 'agent', 'service'])],
  [MIN, [0], (v) => min(v, 0)],
  [MAX, [1e6], (v) => max(v, 1e6)],
  [MAX, [Number.MAX_SAFE_INTEGER], (v) => max(v, Number.MAX_SAFE_INTEGER)],
  ...[0, 1, 2, 3].map((n): [string, unknown[], (v: unknown) => boolean] => [MIN_LENGTH, [n], (v) => minLength(v, n)]),
  ...[1, 256, 257].map((n): [string, unknown[], (v: unknown) => boolean] => [MAX_LENGTH, [n], (v) => maxLength(v, n)]),
  ...[SHA256_DIGEST, GIT_COMMIT_SHA, RFC3339].map((re): [string, unknown[], (v: unknown) => boolean] => [
    MATCHES,
    [re],
    (v) => matches(v as string, re), // class-validator's matches refuses a non-string itself
  ]),
  [ARRAY_MIN_SIZE, [1], (v) => arrayMinSize(v, 1)],
  [ARRAY_MAX_SIZE, [64], (v) => arrayMaxSize(v, 64)],
];

describe('jsonValuePredicate', () => {
  it.each(CASES)('gives the verdict of class-validator for %s %j on JSON values', (name, constraints, own) => {
    const predicate = jsonValuePredicate(name, constraints);
    expect(predicate).toBeDefined();
    expect(JSON_VALUES.filter((value) => predicate!(value) !== own(value))).toEqual([]);
  });

  it('writes out every value-only constraint, and nothing else', () => {
    const written = [...CASES.map(([name]) => name), IS_SCALAR_MAP, REQUIRED_UNLESS];
    expect(new Set(written)).toEqual(VALUE_ONLY_CONSTRAINTS);
    expect(jsonValuePredicate('isEmail', [])).toBeUndefined();
  });

  it('leaves arguments it does not handle to the constraint itself', () => {
    expect(jsonValuePredicate(IS_NUMBER, [{ maxDecimalPlaces: 2 }])).toBeUndefined();
    expect(jsonValuePredicate(MATCHES, [/a/g])).toBeUndefined();
    expect(jsonValuePredicate(MATCHES, ['^a$'])).toBeUndefined();
    expect(jsonValuePredicate(MIN, ['0'])).toBeUndefined();
    expect(jsonValuePredicate(MAX_LENGTH, [undefined])).toBeUndefined();
  });
});
