#!/usr/bin/env node
// @ts-check
'use strict';
// Writes the SDK's TypeScript types for the event catalog from the JSON Schemas in schemas/:
// `npm run catalog` after editing a schema; `npm run catalog -- --check` only compares.
// A small emitter for the few shapes the catalog uses (closed objects, `$ref`s to
// `definitions`, enums, bounded strings, numbers and arrays, one scalar map), so the output
// reads like hand-written code and needs no formatter.

const { readFileSync, writeFileSync } = require('node:fs');
const { join, relative, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const SCHEMAS_DIR = join(ROOT, 'schemas');
const GENERATED_FILE = join(ROOT, 'libs/sdk/src/generated/catalog-data.ts');

// Catalog order, as docs/event-catalog.md lists the types; the envelope schema names them all.
function catalogTypes(dir) {
  const envelope = readSchema(dir, 'event-envelope');
  return envelope.properties.type.anyOf[0].enum;
}

/** @returns {any} */
function readSchema(dir, name) {
  return JSON.parse(readFileSync(join(dir, `${name}.schema.json`), 'utf8'));
}

const SHA256_DIGEST = '^sha256:[0-9a-f]{64}$';
const PATTERN_NOTES = {
  '^[0-9a-f]{40}$': 'a full 40-hex-digit lowercase git commit SHA',
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$': 'the id (a UUID) of an event in this ledger',
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$': 'an RFC 3339 date-time with an offset',
};

/** The TypeScript source of the catalog types, from the schemas in `dir`. */
function emitCatalogTypes(dir = SCHEMAS_DIR) {
  const types = catalogTypes(dir);
  const out = [
    `// Generated from schemas/*.schema.json by \`npm run catalog\` (scripts/catalog-types.js) — do not edit.`,
    `// To change the catalog, edit the schemas, regenerate and run the tests (docs/event-catalog.md).`,
    '',
    '/** `sha256:` and 64 lowercase hex digits: the digest of an artefact kept outside the log. */',
    'export type Sha256Digest = `sha256:${string}`;',
  ];
  const emitted = new Map();
  for (const type of types) {
    const schema = readSchema(dir, type);
    out.push(
      '',
      ...emitInterface(`${pascal(type)}Data`, { ...schema, description: `\`${type}\`: ${sentenceCase(schema.description)}` }, schema),
    );
    for (const [name, definition] of Object.entries(schema.definitions ?? {})) {
      const seen = emitted.get(name);
      if (seen !== undefined && seen !== JSON.stringify(definition))
        throw new Error(`${type}: definition ${name} differs from another schema's`);
      if (seen !== undefined) continue;
      emitted.set(name, JSON.stringify(definition));
      out.push('', ...emitInterface(name, definition, schema));
    }
  }
  out.push('', '/** Catalog type → the shape of its `data`. */', 'export interface CatalogEventData {');
  for (const type of types) out.push(`  '${type}': ${pascal(type)}Data;`);
  out.push('}', '');
  return out.join('\n');
}

function emitInterface(name, schema, root) {
  if (schema.type !== 'object' || schema.additionalProperties !== false) throw new Error(`${name} is not a closed object`);
  return [...doc(schema.description, ''), `export interface ${name} {`, ...members(schema, root, '  '), '}'];
}

function members(schema, root, indent) {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([field, property]) => [
    ...doc([property.description, limits(property)].filter(Boolean).join(' '), indent),
    `${indent}readonly ${field}${required.has(field) ? '' : '?'}: ${tsType(property, root, indent)};`,
  ]);
}

function tsType(schema, root, indent) {
  const ref = refName(schema);
  if (ref) return ref;
  if (schema.enum) return schema.enum.map((v) => `'${v}'`).join(' | ');
  switch (schema.type) {
    case 'string':
      return schema.pattern === SHA256_DIGEST ? 'Sha256Digest' : 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const item = tsType(schema.items, root, indent);
      return `readonly ${item.includes('|') ? `(${item})` : item}[]`;
    }
    case 'object':
      if (typeof schema.additionalProperties === 'object')
        return `Readonly<Record<string, ${[schema.additionalProperties.type].flat().join(' | ')}>>`;
      return ['{', ...members(schema, root, `${indent}  `), `${indent}}`].join('\n');
    default:
      throw new Error(`no TypeScript type for ${JSON.stringify(schema)}`);
  }
}

function refName(schema) {
  const ref = schema.$ref ?? (schema.allOf?.length === 1 ? schema.allOf[0].$ref : undefined);
  return typeof ref === 'string' ? ref.replace('#/definitions/', '') : undefined;
}

// The bounds a producer has to respect, in words.
function limits(schema) {
  if (refName(schema)) return '';
  switch (schema.type) {
    case 'string':
      if (schema.pattern !== undefined) return PATTERN_NOTES[schema.pattern] ? `${capital(PATTERN_NOTES[schema.pattern])}.` : '';
      return schema.enum ? '' : `${range(schema.minLength, schema.maxLength)} characters.`;
    case 'integer':
      return schema.maximum === Number.MAX_SAFE_INTEGER
        ? 'A whole number, 0 or more.'
        : `A whole number, ${schema.minimum}–${schema.maximum}.`;
    case 'number':
      return `${schema.minimum}–${schema.maximum}.`;
    case 'array': {
      const each = schema.items.pattern
        ? PATTERN_NOTES[schema.items.pattern]
        : `${range(schema.items.minLength, schema.items.maxLength)} characters`;
      return `${capital(range(schema.minItems, schema.maxItems))} items${each ? `, each ${each}` : ''}.`;
    }
    case 'object':
      if (typeof schema.additionalProperties !== 'object') return '';
      return (
        `At most ${schema.maxProperties} entries; keys of ${range(schema.propertyNames.minLength, schema.propertyNames.maxLength)} characters, ` +
        `string values of at most ${schema.additionalProperties.maxLength}.`
      );
    default:
      return '';
  }
}

function range(min, max) {
  return min ? `${min}–${max}` : `at most ${max}`;
}

function doc(text, indent) {
  return text ? [`${indent}/** ${text.replace(/\*\//g, '*\\/')} */`] : [];
}

function pascal(type) {
  return type
    .split(/[._]/)
    .map((word) => capital(word))
    .join('');
}

// "A model call finished" → "a model call finished", to follow a colon; "AI …" stays.
function sentenceCase(text) {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function capital(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

module.exports = { emitCatalogTypes, GENERATED_FILE, SCHEMAS_DIR };

if (require.main === module) {
  const source = emitCatalogTypes();
  const file = relative(process.cwd(), GENERATED_FILE);
  if (process.argv.includes('--check')) {
    const current = readFileSync(GENERATED_FILE, 'utf8');
    if (current !== source) {
      console.error(`${file} is stale: run npm run catalog`);
      process.exitCode = 1;
    } else console.log(`${file} is up to date`);
  } else {
    writeFileSync(GENERATED_FILE, source);
    console.log(`wrote ${file}`);
  }
}
