import {
  CATALOG_EVENT_TYPES,
  CatalogEventType,
  EVENT_TYPE,
  EXTENSION_NAME,
  LIMITS,
  RFC3339,
  SERVER_FIELDS,
  UUID,
} from '@evidence-ledger/core';
import type { MetadataStorage as TransformerMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { getMetadataSchema } from 'class-validator-jsonschema/build/decorators';
import { catalogDataClasses, EventDataClass } from './catalog-registry';
import { CATALOG_SCHEMA_CONVERTERS } from './validators/json-schema-converters';

// class-transformer keeps its `@Type` registry in a module it does not type for import.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerMetadataStorage };

type Schema = Record<string, unknown>;
/** A DTO class: an event's data class or one nested in it. */
type DtoClass = EventDataClass;

/** JSON Schema draft-07: what most validators and editors support, and `definitions`-based `$ref`s. */
export const JSON_SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';
export const ENVELOPE_SCHEMA_NAME = 'event-envelope';
const SCHEMA_ID_PREFIX = 'urn:evidence-ledger:schema:v1:';
const REF = '#/definitions/';

/**
 * Every schema of the v1 catalog, keyed by file base name (`schemas/<name>.schema.json`):
 * one per typed event's `data` (e.g. `scan.completed`), generated from the same DTOs that
 * validate it, and `event-envelope` for the whole CloudEvent, which applies the right data
 * schema by `type`. Each schema is self-contained (nested objects under `definitions`).
 */
export function catalogJsonSchemas(): Record<string, object> {
  const schemas: Record<string, object> = {};
  const allDefinitions: Record<string, Schema> = {};
  const dataRefs: [CatalogEventType, string][] = [];
  for (const [type, dataClass] of catalogDataClasses()) {
    const definitions = classSchemas(dataClass);
    const { [definitionName(dataClass)]: root, ...nested } = definitions;
    schemas[type] = readable({
      $schema: JSON_SCHEMA_DIALECT,
      $id: SCHEMA_ID_PREFIX + type,
      title: `${type} data`,
      ...root,
      ...(Object.keys(nested).length > 0 ? { definitions: nested } : {}),
    });
    Object.assign(allDefinitions, definitions);
    dataRefs.push([type, definitionName(dataClass)]);
  }
  schemas[ENVELOPE_SCHEMA_NAME] = envelopeSchema(allDefinitions, dataRefs);
  return schemas;
}

// The schema of `root` and of every DTO nested in it, by class name, as `$ref`s name them.
function classSchemas(root: EventDataClass): Record<string, Schema> {
  const options = {
    additionalConverters: CATALOG_SCHEMA_CONVERTERS,
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: REF,
  };
  const found = new Map<string, DtoClass>();
  const schemas: Record<string, Schema> = {};
  const pending: DtoClass[] = [root];
  for (let dto = pending.pop(); dto; dto = pending.pop()) {
    const name = definitionName(dto);
    if (found.get(name) === dto) continue;
    if (found.has(name)) throw new Error(`two catalog DTOs are named ${name}; JSON Schema definitions need unique names`);
    found.set(name, dto);
    schemas[name] = closed({ ...targetConstructorToSchema(dto, options), ...classLevelSchema(dto) } as Schema, declaredFields(dto));
    pending.push(...nestedClasses(dto));
  }
  return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
}

// Field names in declaration order, inherited fields first (the library lists own fields first).
function declaredFields(dto: DtoClass): string[] {
  const chain: DtoClass[] = [];
  for (let c = dto; c !== Function.prototype && c.name; c = Object.getPrototypeOf(c)) chain.unshift(c);
  const storage = getMetadataStorage();
  const names = chain.flatMap((c) =>
    storage
      .getTargetValidationMetadatas(c, '', true, false)
      .filter((m) => m.target === c)
      .map((m) => m.propertyName),
  );
  return [...new Set(names)];
}

// Published names drop the code's `Dto` suffix: `ScanFindingsDto` → `ScanFindings`.
function definitionName(dto: DtoClass): string {
  return dto.name.replace(/Dto$/, '');
}

function withDefinitionNames(ref: string): string {
  return ref.startsWith(REF) ? ref.replace(/Dto$/, '') : ref;
}

// A subclass without fields of its own (`ChangeOpenedDto`) gets its parent's schema from the
// library; its own `@JSONSchema` description is applied here.
function classLevelSchema(dto: DtoClass): Schema {
  const own = getMetadataSchema(dto.prototype, dto.name);
  return typeof own === 'object' && own !== null ? (own as Schema) : {};
}

function nestedClasses(dto: DtoClass): DtoClass[] {
  return getMetadataStorage()
    .getTargetValidationMetadatas(dto, '', true, false)
    .filter((meta) => meta.type === ValidationTypes.NESTED_VALIDATION)
    .map(
      (meta) => defaultMetadataStorage.findTypeMetadata(meta.target as DtoClass, meta.propertyName)?.typeFunction() as DtoClass | undefined,
    )
    .filter((type): type is DtoClass => typeof type === 'function');
}

// Unknown fields are rejected (the validator runs with forbidNonWhitelisted), and in draft-07
// a `$ref` ignores its siblings, so those are dropped rather than left to mislead.
function closed(schema: Schema, order: string[]): Schema {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const names = [...order.filter((name) => name in properties), ...Object.keys(properties).filter((name) => !order.includes(name))];
  const required = names.filter((name) => ((schema.required ?? []) as string[]).includes(name));
  return readable({
    ...schema,
    properties: Object.fromEntries(names.map((name) => [name, readable(refOnly(properties[name]))])),
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  });
}

// Keys in the order a reader wants them: what it is, then its shape.
const KEY_ORDER = [
  '$schema',
  '$id',
  'title',
  'description',
  'type',
  'required',
  'anyOf',
  'properties',
  'additionalProperties',
  'definitions',
];

function readable(schema: Schema): Schema {
  const rank = (key: string) => (KEY_ORDER.includes(key) ? KEY_ORDER.indexOf(key) : KEY_ORDER.length);
  return Object.fromEntries(Object.entries(schema).sort(([a], [b]) => rank(a) - rank(b)));
}

function refOnly(property: Schema): Schema {
  const items = property.items as Schema | undefined;
  if (items && typeof items.$ref === 'string') return { ...property, items: { $ref: withDefinitionNames(items.$ref) } };
  if (typeof property.$ref !== 'string') return property;
  const $ref = withDefinitionNames(property.$ref);
  const { description } = property;
  return description === undefined ? { $ref } : { allOf: [{ $ref }], description };
}

function envelopeSchema(definitions: Record<string, Schema>, dataRefs: [CatalogEventType, string][]): Schema {
  const text = (maxLength: number = LIMITS.maxAttributeLength) => ({ type: 'string', minLength: 1, maxLength });
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: SCHEMA_ID_PREFIX + ENVELOPE_SCHEMA_NAME,
    title: 'Evidence Ledger event',
    description:
      'A CloudEvents 1.0 event (JSON format) as a producer posts it, with the ledger extensions. ' +
      '`tenant`, `sequence`, `recordedAt` and `producer` are set by the ledger and may not be sent.',
    type: 'object',
    required: ['specversion', 'id', 'source', 'type'],
    properties: {
      specversion: { const: '1.0' },
      id: {
        type: 'string',
        maxLength: 36,
        pattern: UUID.source.replaceAll('0-9a-f', '0-9a-fA-F'),
        description: 'UUID chosen by the producer (v7 recommended); unique per tenant, retries reuse it.',
      },
      source: { ...text(), description: 'URI-reference of the producing service.' },
      type: {
        type: 'string',
        maxLength: 128,
        pattern: EVENT_TYPE.source,
        anyOf: [{ enum: [...CATALOG_EVENT_TYPES] }, { pattern: '^x\\.' }],
        description: 'A typed catalog event, or your own type under the "x." prefix.',
      },
      subject: text(),
      time: { type: 'string', maxLength: 40, pattern: RFC3339.source, description: 'RFC 3339 time of the occurrence, with an offset.' },
      datacontenttype: { ...text(), pattern: JSON_MEDIA_TYPE_PATTERN },
      dataschema: text(),
      data: { description: 'Typed events: see the schema of the type. "x." events: any JSON within the generic limits.' },
      actor: { $ref: `${REF}Actor` },
      changeid: { ...text(), description: 'The change this event belongs to, e.g. "github.com/acme/pay#482".' },
      correlationid: text(),
      causationid: text(),
    },
    propertyNames: { pattern: EXTENSION_NAME.source, not: { enum: [...SERVER_FIELDS] } },
    additionalProperties: {
      type: ['string', 'number', 'boolean'],
      minLength: 1,
      maxLength: LIMITS.maxAttributeLength,
      description: 'Other CloudEvents extension attributes: lowercase a-z0-9 names of at most 20 characters, scalar values.',
    },
    allOf: dataRefs.map(([type, name]) => ({
      if: { properties: { type: { const: type } }, required: ['type'] },
      then: { required: ['data'], properties: { data: { $ref: REF + name } } },
    })),
    definitions: { ...definitions, Actor: ACTOR_SCHEMA },
  };
}

// Core's JSON_MEDIA_TYPE is case-insensitive; JSON Schema patterns carry no flags.
const JSON_MEDIA_TYPE_PATTERN = '^[Aa][Pp][Pp][Ll][Ii][Cc][Aa][Tt][Ii][Oo][Nn]/([A-Za-z0-9.+-]+\\+)?[Jj][Ss][Oo][Nn](\\s*;.*)?$';

const ACTOR_SCHEMA: Schema = {
  type: 'object',
  description: 'Who or what acted.',
  required: ['kind', 'id'],
  properties: {
    kind: { enum: ['human', 'agent', 'service'] },
    id: { type: 'string', minLength: 1, maxLength: 256 },
    issuer: { type: 'string', minLength: 1, maxLength: LIMITS.maxAttributeLength },
    role: { type: 'string', minLength: 1, maxLength: 256 },
  },
  additionalProperties: false,
};
