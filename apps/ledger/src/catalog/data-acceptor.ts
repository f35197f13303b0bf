import { TransformationType } from 'class-transformer';
import type { MetadataStorage as TransformerMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import type { ConstraintMetadata } from 'class-validator/types/metadata/ConstraintMetadata';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { EventDataClass } from './catalog-registry';
import { jsonValuePredicate, VALUE_ONLY_CONSTRAINTS, ValuePredicate } from './constraint-predicates';
import { isPlainDataCondition } from './validators';

// class-transformer keeps its decorator registry in a module it does not type for import.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerMetadataStorage };

/** `true`: class-validator would find nothing wrong. `false` only means "ask class-validator". */
export type DataAcceptor = (data: Readonly<Record<string, unknown>>) => boolean;

/** The acceptor of a DTO, or why the DTO uses a rule it cannot decide. */
export type AcceptorOrRefusal = { readonly accepts: DataAcceptor } | { readonly refused: string };

class Refused extends Error {}

/**
 * Compiles a yes/no twin of `validateSync(plainToInstance(dto, data), { whitelist: true,
 * forbidNonWhitelisted: true, forbidUnknownValues: true })` from the same class-validator
 * metadata, walked the way class-validator walks it: the same properties, the same
 * `@ValidateIf` conditions, the same constraint verdicts (`constraint-predicates.ts`), the
 * same nested classes — without class-transformer, error objects or per-call metadata look-ups.
 *
 * The acceptor expects JSON as `JSON.parse` returns it (plain objects and arrays, no
 * `__proto__`/`constructor` keys, within the depth cap): there class-transformer only copies,
 * so the acceptor accepts only what class-validator accepts. It is stricter in one place: a
 * key class-transformer would drop unseen (`toString`, …) is an unknown field here. A DTO
 * with a rule outside this walk (another `@ValidateIf`, groups, `@Transform`, `@Expose`, an
 * unknown constraint, …) is refused, and its events keep the class-validator path.
 */
export function compileDataAcceptor(dto: EventDataClass): AcceptorOrRefusal {
  try {
    return { accepts: compileClass(dto, undefined, []) };
  } catch (error) {
    // Whatever went wrong, class-validator still decides; the fast-path test reports it.
    return { refused: error instanceof Refused ? error.message : `compiling failed: ${String(error)}` };
  }
}

// `targetSchema` is what class-validator passes down for a nested object: the name of the
// class declaring the property (it selects schema-registered rules, of which there are none).
function compileClass(dto: EventDataClass, targetSchema: string | undefined, outer: readonly EventDataClass[]): DataAcceptor {
  if (outer.includes(dto)) throw new Refused(`${dto.name} contains itself`);
  if (defaultMetadataStorage.getStrategy(dto) !== 'none') throw new Refused(`${dto.name} has a class-level @Expose/@Exclude`);
  if (defaultMetadataStorage.getExposedMetadatas(dto).length > 0 || defaultMetadataStorage.getExcludedMetadatas(dto).length > 0)
    throw new Refused(`${dto.name} renames or hides fields (@Expose/@Exclude)`);
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(dto, targetSchema as string, false, false, undefined);
  if (metadatas.length === 0) throw new Refused(`${dto.name} has no validation rules`);
  const grouped = storage.groupByPropertyName(metadatas);
  const allowed = new Set(Object.keys(grouped));
  // class-transformer fills `new dto()`: a field it starts with would be validated even when absent.
  const blank = new dto() as Record<string, unknown>;
  if (Object.keys(blank).some((key) => blank[key] !== undefined || !allowed.has(key))) throw new Refused(`${dto.name} initialises fields`);
  const properties = Object.entries(grouped).map(([name, rules]) => compileProperty(dto, name, rules, [...outer, dto]));
  return (data) => {
    for (const key in data) if (!allowed.has(key)) return false;
    for (const property of properties) if (!property(data)) return false;
    return true;
  };
}

type PropertyAcceptor = (data: Readonly<Record<string, unknown>>) => boolean;
type Condition = (object: object, value: unknown) => boolean;

// class-validator's `performValidations` for one property: the conditions decide whether it
// is validated at all; then every constraint, then the nested object.
function compileProperty(
  dto: EventDataClass,
  name: string,
  rules: ValidationMetadata[],
  outer: readonly EventDataClass[],
): PropertyAcceptor {
  const where = `${dto.name}.${name}`;
  // Such a key reads an inherited member when absent, and class-transformer skips it when present.
  if (name in Object.prototype) throw new Refused(`${where} is named like an Object.prototype member`);
  if (defaultMetadataStorage.findTransformMetadatas(dto, name, TransformationType.PLAIN_TO_CLASS).length > 0)
    throw new Refused(`${where} has an @Transform`);
  const conditions: Condition[] = [];
  const checks: ValuePredicate[] = [];
  let nested = false;
  for (const rule of rules) {
    if ((rule.groups?.length ?? 0) > 0 || rule.always !== undefined || rule.validateIf !== undefined)
      throw new Refused(`${where} has a rule with groups, always or validateIf`);
    if (rule.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      const condition = rule.constraints[0] as Condition;
      if (!isPlainDataCondition(condition)) throw new Refused(`${where} has an @ValidateIf that may read more than field values`);
      conditions.push(condition);
    } else if (rule.type === ValidationTypes.CUSTOM_VALIDATION) {
      checks.push(...constraintChecks(dto, name, rule));
    } else if (rule.type === ValidationTypes.NESTED_VALIDATION && !rule.each) {
      checks.push(nestedCheck(dto, name, rule, outer));
      nested = true;
    } else {
      throw new Refused(`${where} has a ${rule.type} rule`);
    }
  }
  // Without @ValidateNested, an @Type would convert the value before the constraints see it.
  if (!nested && defaultMetadataStorage.findTypeMetadata(dto, name)) throw new Refused(`${where} has an @Type but no @ValidateNested`);
  return (data) => {
    const value = data[name];
    for (const condition of conditions) if (!condition(data, value)) return true;
    for (const check of checks) if (!check(value)) return false;
    return true;
  };
}

// class-validator's `customValidations`: an `each` rule checks every item of an array (and
// the value itself otherwise).
function constraintChecks(dto: EventDataClass, name: string, rule: ValidationMetadata): ValuePredicate[] {
  return getMetadataStorage()
    .getTargetValidatorConstraints(rule.constraintCls)
    .map((constraint) => {
      if (constraint.async || !constraint.name || !VALUE_ONLY_CONSTRAINTS.has(constraint.name))
        throw new Refused(`${dto.name}.${name} uses the constraint ${constraint.name ?? rule.type}, which the fast path does not know`);
      const check = valuePredicate(dto, name, rule, constraint);
      return rule.each ? (value: unknown) => (Array.isArray(value) ? value.every(check) : check(value)) : check;
    });
}

// The written-out predicate where it gives the constraint's own verdict on a few telling
// values (so a same-named constraint of another library version is not trusted blindly),
// otherwise the constraint itself. Value-only constraints ignore `object`.
function valuePredicate(dto: EventDataClass, name: string, rule: ValidationMetadata, constraint: ConstraintMetadata): ValuePredicate {
  const args = (value: unknown): ValidationArguments => ({
    targetName: dto.name,
    property: name,
    object: {},
    value,
    constraints: rule.constraints,
  });
  const own: ValuePredicate = (value) => Boolean(constraint.instance.validate(value, args(value)));
  const written = jsonValuePredicate(constraint.name as string, rule.constraints);
  return written && PROBES.every((probe) => written(probe) === own(probe)) ? written : own;
}

const PROBES: readonly unknown[] = [
  undefined,
  null,
  true,
  0,
  -1,
  0.5,
  2 ** 53,
  -(2 ** 60),
  '',
  'a',
  '0',
  'sha256:' + '0'.repeat(64),
  '0'.repeat(40),
  '2026-07-01T00:00:00Z',
  'x'.repeat(300),
  'x'.repeat(5000),
  '\u{1F600}'.repeat(200),
  'a\uFE0F',
  [],
  ['a'],
  Array.from({ length: 300 }, () => 'a'),
  {},
  { a: 1 },
];

// class-validator's `nestedValidations` on the instance class-transformer builds with `@Type`;
// an array there (which it would validate item by item) is left to class-validator.
function nestedCheck(dto: EventDataClass, name: string, rule: ValidationMetadata, outer: readonly EventDataClass[]): ValuePredicate {
  const type = defaultMetadataStorage.findTypeMetadata(dto, name);
  if (!type?.typeFunction || type.typeFunction.length > 0 || type.options?.discriminator || type.reflectedType === Map)
    throw new Refused(`${dto.name}.${name} is nested without a fixed @Type`);
  const nestedClass = type.typeFunction() as EventDataClass;
  if (typeof nestedClass !== 'function') throw new Refused(`${dto.name}.${name} is nested without a class`);
  const declaredBy = typeof rule.target === 'string' ? rule.target : rule.target.name;
  const accepts = compileClass(nestedClass, declaredBy, outer);
  return (value) =>
    value === undefined ||
    (typeof value === 'object' && value !== null && !Array.isArray(value) && accepts(value as Record<string, unknown>));
}
