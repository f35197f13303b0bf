import { PoolClient } from 'pg';
import { quoteIdentifier } from './postgres-connection';

/**
 * PostgreSQL schema, one migration per array slot (version = index + 1), the same layout as
 * the SQLite adapter (see the port's doc comment). Each runs with `search_path` set to the
 * store's schema, so table names stay unqualified here.
 *
 * Differences, all for ingest speed or queries: entries carry no foreign key to `logs` (rows
 * are only inserted by an appender holding the log row's lock, and the per-row RI trigger
 * measured ~35% off COPY throughput); `event_time`/`recorded_at` are `timestamptz` so time
 * filters compare instants (an impossible event time is indexed as NULL, see
 * postgres-timestamp.ts); fixed-width columns come first so tuples carry no alignment padding.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE logs (
    log_id     integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant     text    NOT NULL UNIQUE,
    tree_size  bigint  NOT NULL DEFAULT 0,
    chain_hash bytea   NOT NULL
  );
  CREATE TABLE entries (
    sequence    bigint      NOT NULL,
    recorded_at timestamptz NOT NULL,
    event_time  timestamptz,
    log_id      integer     NOT NULL,
    id          uuid        NOT NULL,
    type        text        NOT NULL,
    source      text        NOT NULL,
    subject     text,
    changeid    text,
    actor_id    text,
    canonical   bytea       NOT NULL,
    leaf_hash   bytea       NOT NULL,
    chain_hash  bytea       NOT NULL,
    nodes       bytea       NOT NULL,
    PRIMARY KEY (log_id, sequence),
    UNIQUE (log_id, id)
  );
  CREATE INDEX entries_changeid ON entries (log_id, changeid, sequence) WHERE changeid IS NOT NULL;
  CREATE TABLE checkpoints (
    log_id     integer     NOT NULL REFERENCES logs (log_id),
    tree_size  bigint      NOT NULL,
    root_hash  bytea       NOT NULL,
    note       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (log_id, tree_size)
  );
  `,
  // 2: service credentials — registered tenants and their API keys (secrets only as SHA-256).
  `
  CREATE TABLE tenants (
    name       text        PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE api_keys (
    id            text        PRIMARY KEY,
    tenant        text        NOT NULL REFERENCES tenants (name),
    name          text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('producer', 'auditor', 'admin')),
    source_prefix text,
    secret_hash   bytea       NOT NULL CHECK (length(secret_hash) = 32),
    created_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    created_by    text
  );
  CREATE INDEX api_keys_tenant ON api_keys (tenant, created_at);
  `,
  // 3: webhook secrets per tenant and provider — plaintext, because verifying an HMAC needs the key itself.
  `
  CREATE TABLE webhook_secrets (
    tenant     text        NOT NULL REFERENCES tenants (name),
    provider   text        NOT NULL CHECK (provider IN ('github')),
    secret     text        NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text,
    PRIMARY KEY (tenant, provider)
  );
  `,
  // 4: evidence-pack jobs, shared by every instance on the schema (docs/evidence-packs.md, "Jobs").
  // Ids compare byte-wise ("C"), as SQLite does, so pages and claims follow queueing order.
  `
  CREATE TABLE pack_jobs (
    lease_until bigint,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    progress    integer     NOT NULL DEFAULT 0,
    attempts    integer     NOT NULL DEFAULT 0,
    id          text        COLLATE "C" NOT NULL PRIMARY KEY,
    tenant      text        NOT NULL,
    framework   text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('queued', 'building', 'ready', 'failed')),
    owner       text,
    request     text        NOT NULL,
    plan        text,
    result      text,
    error       text
  );
  CREATE INDEX pack_jobs_tenant ON pack_jobs (tenant, id);
  CREATE INDEX pack_jobs_pending ON pack_jobs (status, id) WHERE status IN ('queued', 'building');
  `,
];

// Applies the missing migrations in one transaction under a transaction-scoped advisory lock
// keyed by schema, so processes migrating at once queue up and the later ones find nothing
// to do. The caller owns `client` and handles errors.
export async function migrate(client: PoolClient, schema: string | undefined): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`evidence-ledger/migrate/${schema ?? ''}`]);
    if (schema !== undefined) {
      // Checked first: CREATE SCHEMA demands the database's CREATE privilege even when the
      // schema exists, which a least-privilege role that only owns its schema lacks.
      const existing = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      if (existing.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
      await client.query(`SET LOCAL search_path TO ${quoteIdentifier(schema)}`);
    }
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    for (let v = (rows[0].v ?? 0) + 1; v <= POSTGRES_MIGRATIONS.length; v++) {
      await client.query(POSTGRES_MIGRATIONS[v - 1]);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v]);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
