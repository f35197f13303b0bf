import { CATALOG_EVENT_TYPES, envelopeViolations, JSON_MEDIA_TYPE } from '@evidence-ledger/core';
import Ajv from 'ajv';
import { readdirSync } from 'node:fs';
import { ENVELOPE_SCHEMA_NAME, JsonSchema, readCatalogSchemas, SCHEMAS_DIR } from './catalog-schemas';
import { knownPatterns } from './pattern-messages';
import { catalogEvent, invalidFieldExamples, validEventData } from './testing/catalog-event-data';
import { validateEventData } from './validate-event-data';

// The schemas as any producer's validator sees them: a standard draft-07 validator, without
// the service's own keywords.
const schemas = readCatalogSchemas();
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
const validatorOf = (name: string) => ajv.compile(schemas[name]);
const envelope = validatorOf(ENVELOPE_SCHEMA_NAME);

const withField = (data: Record<string, unknown>, field: string, value: unknown) => ({ ...data, [field]: value });
const without = (data: Record<string, unknown>, field: string) => Object.fromEntries(Object.entries(data).filter(([k]) => k !== field));

describe('the catalog schemas in schemas/', () => {
  it('has one data schema per catalog type and the envelope schema', () => {
    expect(Object.keys(schemas).sort()).toEqual([...CATALOG_EVENT_TYPES, ENVELOPE_SCHEMA_NAME].sort());
  });

  it('are self-contained draft-07 schemas with their $ids, which a standard validator compiles', () => {
    for (const [name, schema] of Object.entries(schemas)) {
      expect(schema).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', $id: `urn:evidence-ledger:schema:v1:${name}` });
      expect(ajv.validateSchema(schema)).toBe(true);
    }
  });

  describe.each(CATALOG_EVENT_TYPES)('%s data schema', (type) => {
    const validate = validatorOf(type);
    const valid = () => validEventData[type]();

    it('accepts the same valid example as the validator', () => {
      expect(validate(valid())).toBe(true);
    });

    it('rejects what the validator rejects: an unknown field, a wrong type, a missing required field', () => {
      const { wrong, required } = invalidFieldExamples[type];
      for (const data of [withField(valid(), 'comment', 'hi'), withField(valid(), wrong[0], wrong[1]), without(valid(), required)]) {
        expect(validateEventData(type, data, 'data')).not.toEqual([]);
        expect(validate(data)).toBe(false);
      }
    });

    it('rejects an unknown field inside a nested object', () => {
      const data = valid();
      const isDto = (k: string) => k !== 'parameters' && typeof data[k] === 'object' && data[k] !== null && !Array.isArray(data[k]);
      const nested = Object.keys(data).find(isDto);
      if (!nested) return;
      data[nested] = { ...(data[nested] as object), comment: 'hi' };
      expect(validateEventData(type, data, 'data')).toEqual([{ path: `data.${nested}.comment`, message: expect.any(String) }]);
      expect(validate(data)).toBe(false);
    });
  });

  it('draws the line for model parameters where the service does, counting characters, not UTF-16 units', () => {
    const type = 'model.invocation.completed';
    const validate = validatorOf(type);
    const emoji = '\u{1F600}';
    const cases = [
      { parameters: { [emoji.repeat(128)]: 1 }, ok: true },
      { parameters: { [emoji.repeat(129)]: 1 }, ok: false },
      { parameters: { k: emoji.repeat(1024) }, ok: true },
      { parameters: { k: emoji.repeat(1025) }, ok: false },
    ];
    for (const { parameters, ok } of cases) {
      const data = { ...validEventData[type](), parameters };
      expect(validate(data)).toBe(ok);
      expect(validateEventData(type, data, 'data').length === 0).toBe(ok);
    }
  });

  describe('event envelope schema', () => {
    it.each(CATALOG_EVENT_TYPES)('accepts a whole valid %s event', (type) => {
      expect(envelope(catalogEvent(type, validEventData[type]()))).toBe(true);
    });

    it('accepts an x. event with any data, or none', () => {
      for (const data of [{ anything: [1, { two: true }] }, ['a'], 'text', null, undefined]) {
        expect(envelope(catalogEvent('x.custom.thing', data))).toBe(true);
      }
    });

    it('applies the data schema of the event type', () => {
      expect(envelope(catalogEvent('scan.completed', { ...validEventData['scan.completed'](), comment: 'hi' }))).toBe(false);
      expect(envelope(catalogEvent('scan.completed', validEventData['change.opened']()))).toBe(false);
      expect(envelope(catalogEvent('scan.completed', undefined))).toBe(false);
    });

    // The envelope schema restates the core's rules; both must agree on what is a valid event.
    it.each([
      ['a valid typed event', catalogEvent('change.opened', validEventData['change.opened']())],
      ['a lowercase extension attribute', { ...catalogEvent('x.a.b', 1), region: 'eu-west-1' }],
      ['a JSON media type in any case', { ...catalogEvent('x.a.b', 1), datacontenttype: 'Application/CloudEvents+JSON; charset=utf-8' }],
      ['an uppercase UUID', catalogEvent('x.a.b', 1, '0190B6F2-7C1E-7A3B-9F00-000000000001')],
      ['a server-only field', { ...catalogEvent('x.a.b', 1), tenant: 'acme' }],
      ['an extension name with capitals', { ...catalogEvent('x.a.b', 1), Region: 'eu' }],
      ['an extension with an object value', { ...catalogEvent('x.a.b', 1), region: { name: 'eu' } }],
      ['a type outside the catalog without the x. prefix', catalogEvent('custom.thing', {})],
      ['a server-only type', catalogEvent('ledger.key.rotated', {})],
      ['a time without an offset', { ...catalogEvent('x.a.b', 1), time: '2026-07-02T10:00:00' }],
      ['a non-JSON media type', { ...catalogEvent('x.a.b', 1), datacontenttype: 'application/xml' }],
      ['an actor with an unknown field', { ...catalogEvent('x.a.b', 1), actor: { kind: 'human', id: 'a', email: 'a@b' } }],
      ['an actor without id', { ...catalogEvent('x.a.b', 1), actor: { kind: 'human' } }],
      ['a missing source', without(catalogEvent('x.a.b', 1), 'source')],
      ['a wrong specversion', { ...catalogEvent('x.a.b', 1), specversion: '0.3' }],
    ])('agrees with the ledger on %s', (_name, event) => {
      const e = event as Record<string, unknown>;
      const ledgerAccepts = envelopeViolations(e).length === 0 && validateEventData(String(e.type), e.data, 'data').length === 0;
      expect(envelope(e)).toBe(ledgerAccepts);
    });

    it('spells the core JSON media type rule without regex flags', () => {
      const pattern = new RegExp(
        (schemas[ENVELOPE_SCHEMA_NAME] as { properties: { datacontenttype: { pattern: string } } }).properties.datacontenttype.pattern,
      );
      for (const media of [
        'application/json',
        'APPLICATION/JSON',
        'application/vnd.api+json; charset=utf-8',
        'text/json',
        'application/jsonx',
        'application/xml',
      ]) {
        expect(pattern.test(media)).toBe(JSON_MEDIA_TYPE.test(media));
      }
    });
  });

  it('are every file of schemas/', () => {
    const files = readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith('.schema.json'));
    expect(files.sort()).toEqual(
      Object.keys(schemas)
        .map((name) => `${name}.schema.json`)
        .sort(),
    );
  });

  it('embed each data schema in the envelope schema, and share definitions unchanged', () => {
    const envelopeDefinitions = (schemas[ENVELOPE_SCHEMA_NAME] as { definitions: Record<string, unknown> }).definitions;
    const seen = new Map<string, unknown>();
    for (const type of CATALOG_EVENT_TYPES) {
      const { $schema: _s, $id: _i, title: _t, definitions = {}, ...root } = schemas[type] as Record<string, unknown>;
      const name = type
        .split(/[._]/)
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join('');
      expect(envelopeDefinitions[name]).toEqual(root);
      for (const [definition, schema] of Object.entries(definitions as Record<string, unknown>)) {
        expect(envelopeDefinitions[definition]).toEqual(schema);
        if (seen.has(definition)) expect(schema).toEqual(seen.get(definition));
        seen.set(definition, schema);
      }
    }
  });

  describe.each(CATALOG_EVENT_TYPES)('%s data schema rules', (type) => {
    const nodes = subschemas(schemas[type]);

    it('closes every object: unknown fields are refused, scalar maps take scalars only', () => {
      for (const node of nodes.filter((n) => n.type === 'object')) {
        if (typeof node.additionalProperties === 'object')
          expect(node.additionalProperties).toMatchObject({ type: ['string', 'number', 'boolean'] });
        else expect(node.additionalProperties).toBe(false);
      }
    });

    it('never allows an explicit null', () => {
      expect(JSON.stringify(schemas[type])).not.toContain('"null"');
    });

    it('caps every string, array and number', () => {
      for (const node of nodes) {
        if (node.type === 'string' && node.enum === undefined && node.pattern === undefined)
          expect(node.maxLength).toEqual(expect.any(Number));
        if (node.type === 'array') expect(node.maxItems).toEqual(expect.any(Number));
        if (node.type === 'number' || node.type === 'integer') expect(node.maximum).toEqual(expect.any(Number));
      }
    });

    it('only uses patterns the service has a message for', () => {
      for (const node of nodes.filter((n) => typeof n.pattern === 'string')) expect(knownPatterns()).toContain(node.pattern);
    });
  });
});

// Every schema object inside `schema`, itself included.
function subschemas(schema: JsonSchema): JsonSchema[] {
  const found: JsonSchema[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      found.push(node as JsonSchema);
      Object.values(node).forEach(walk);
    }
  };
  walk(schema);
  return found;
}
