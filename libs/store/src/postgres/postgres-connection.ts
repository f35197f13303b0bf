/** Where a PostgreSQL store lives: what pg connects to, the schema, and a printable name. */
export interface PostgresTarget {
  /** The URL handed to pg, without the `schema` parameter. */
  readonly connectionString: string;
  /** The schema holding the tables, when not pg's default search path. */
  readonly schema?: string;
  /** The URL without password, for logs and metrics. */
  readonly location: string;
  /** The password, so error messages can be scrubbed of it. */
  readonly password?: string;
}

// Lowercase, unquoted-identifier shape only: no quoting games, no case folding surprises.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

// Refuses anything but a plain lowercase identifier. `pg_` names are reserved by PostgreSQL.
export function validateSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema) || schema.startsWith('pg_')) {
    throw new RangeError(
      `invalid PostgreSQL schema name ${JSON.stringify(schema.slice(0, 80))}: use lowercase letters, digits and _ (at most 63)`,
    );
  }
  return schema;
}

// Identifiers are validated first; quoting is belt and braces.
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

// Splits `postgres://user:pw@host/db?schema=x` into what pg needs and what may be printed.
// The `schema` option wins over the URL parameter. The URL is never echoed in errors, since
// it may carry a password.
export function parsePostgresUrl(url: string, schemaOption?: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError('invalid PostgreSQL URL (expected postgres://user@host:port/database)');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new RangeError(`invalid PostgreSQL URL scheme ${JSON.stringify(parsed.protocol)} (expected postgres:)`);
  }
  const schemaParam = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  const schema = schemaOption ?? schemaParam;
  if (schema !== undefined) validateSchemaName(schema);

  const password = decodeURIComponent(parsed.password) || parsed.searchParams.get('password') || undefined;
  const connectionString = parsed.toString();
  const printable = new URL(connectionString);
  printable.password = '';
  printable.searchParams.delete('password');
  if (schema !== undefined) printable.searchParams.set('schema', schema);
  return { connectionString, schema, location: printable.toString(), password };
}
