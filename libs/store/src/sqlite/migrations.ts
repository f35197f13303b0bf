/**
 * SQLite schema, one migration per array slot (version = index + 1). Entries live in an
 * ordinary rowid table: canonical bodies run to 256 KiB, which WITHOUT ROWID tables store
 * poorly. Sequence and event id are each unique per log.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE logs (
    log_id     INTEGER PRIMARY KEY,
    tenant     TEXT    NOT NULL UNIQUE,
    tree_size  INTEGER NOT NULL DEFAULT 0,
    chain_hash BLOB    NOT NULL
  );
  CREATE TABLE entries (
    log_id      INTEGER NOT NULL REFERENCES logs (log_id),
    sequence    INTEGER NOT NULL,
    id          TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    subject     TEXT,
    changeid    TEXT,
    actor_id    TEXT,
    event_time  TEXT,
    recorded_at TEXT    NOT NULL,
    canonical   BLOB    NOT NULL,
    leaf_hash   BLOB    NOT NULL,
    chain_hash  BLOB    NOT NULL,
    nodes       BLOB    NOT NULL
  );
  CREATE UNIQUE INDEX entries_sequence ON entries (log_id, sequence);
  CREATE UNIQUE INDEX entries_id ON entries (log_id, id);
  CREATE INDEX entries_changeid ON entries (log_id, changeid, sequence) WHERE changeid IS NOT NULL;
  CREATE TABLE checkpoints (
    log_id     INTEGER NOT NULL REFERENCES logs (log_id),
    tree_size  INTEGER NOT NULL,
    root_hash  BLOB    NOT NULL,
    note       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (log_id, tree_size)
  ) WITHOUT ROWID;
  `,
  // 2: service credentials — registered tenants and their API keys (secrets only as SHA-256).
  `
  CREATE TABLE tenants (
    name       TEXT NOT NULL PRIMARY KEY,
    created_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE api_keys (
    id            TEXT NOT NULL PRIMARY KEY,
    tenant        TEXT NOT NULL REFERENCES tenants (name),
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('producer', 'auditor', 'admin')),
    source_prefix TEXT,
    secret_hash   BLOB NOT NULL CHECK (length(secret_hash) = 32),
    created_at    TEXT NOT NULL,
    revoked_at    TEXT,
    created_by    TEXT
  );
  CREATE INDEX api_keys_tenant ON api_keys (tenant, created_at);
  `,
  // 3: webhook secrets per tenant and provider — plaintext, because verifying an HMAC needs the key itself.
  `
  CREATE TABLE webhook_secrets (
    tenant     TEXT NOT NULL REFERENCES tenants (name),
    provider   TEXT NOT NULL CHECK (provider IN ('github')),
    secret     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    PRIMARY KEY (tenant, provider)
  ) WITHOUT ROWID;
  `,
  // 4: evidence-pack jobs, shared by every instance on the file (docs/evidence-packs.md, "Jobs").
  `
  CREATE TABLE pack_jobs (
    id          TEXT    NOT NULL PRIMARY KEY,
    tenant      TEXT    NOT NULL,
    framework   TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('queued', 'building', 'ready', 'failed')),
    progress    INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    owner       TEXT,
    lease_until INTEGER,
    request     TEXT    NOT NULL,
    plan        TEXT,
    result      TEXT,
    error       TEXT,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX pack_jobs_tenant ON pack_jobs (tenant, id);
  CREATE INDEX pack_jobs_pending ON pack_jobs (status, id) WHERE status IN ('queued', 'building');
  `,
];
