import { QueryConfig } from 'pg';
import { quoteIdentifier } from './postgres-connection';

/** A statement text with a stable name, so each connection parses and plans it once. */
export interface NamedStatement {
  /** Absent for statements that must be planned with their actual parameters (see `unnamed`). */
  readonly name?: string;
  readonly text: string;
}

export const ENTRY_COLUMNS = 'sequence, id, canonical, leaf_hash, chain_hash, nodes';

export const query = (statement: NamedStatement, values: unknown[]): QueryConfig => ({
  name: statement.name,
  text: statement.text,
  values,
});

/** A table name qualified by the store's schema (unqualified when it uses the search path). */
export const tableIn = (schema: string | undefined) => (name: string) =>
  schema === undefined ? name : `${quoteIdentifier(schema)}.${name}`;

// Every statement the store runs, with table names qualified by the store's schema. A pool
// serves a single schema, so one name always means one text on a given connection.
export function ledgerStatements(schema: string | undefined) {
  const table = tableIn(schema);
  const logs = table('logs');
  const entries = table('entries');
  const checkpoints = table('checkpoints');
  const logOf = `(SELECT log_id FROM ${logs} WHERE tenant = $1)`;
  const named = (name: string, text: string): NamedStatement => ({ name: `evidence-ledger/${name}`, text });
  // `x = ANY($2)` lookups are left unnamed: a named statement gets a generic plan, and one
  // cached while the table was still empty scans the tenant's whole log on every call
  // (seen: 18 ms per id lookup at 30k rows, until autovacuum analyzed the table). Unnamed
  // statements are planned with their parameters, so they always use the primary key.
  const unnamed = (_name: string, text: string): NamedStatement => ({ text });

  return {
    entries,
    logs,
    ping: named('ping', 'SELECT 1'),
    lockLog: named('lock-log', `SELECT log_id, tree_size, chain_hash FROM ${logs} WHERE tenant = $1 FOR UPDATE`),
    createLog: named(
      'create-log',
      `INSERT INTO ${logs} (tenant, tree_size, chain_hash) VALUES ($1, 0, $2) ON CONFLICT (tenant) DO NOTHING`,
    ),
    head: named('head', `SELECT tree_size, chain_hash FROM ${logs} WHERE tenant = $1`),
    // Byte order ("C"), as SQLite sorts, whatever the database's collation.
    tenants: named(
      'tenants',
      `SELECT tenant FROM (SELECT tenant FROM ${logs} UNION SELECT name FROM ${table('tenants')}) AS t ORDER BY tenant COLLATE "C"`,
    ),
    entry: named('entry', `SELECT ${ENTRY_COLUMNS} FROM ${entries} WHERE log_id = ${logOf} AND sequence = $2`),
    entriesByIds: unnamed('entries-by-ids', `SELECT ${ENTRY_COLUMNS} FROM ${entries} WHERE log_id = ${logOf} AND id = ANY($2::uuid[])`),
    entryPage: named(
      'entry-page',
      `SELECT ${ENTRY_COLUMNS} FROM ${entries} WHERE log_id = ${logOf} AND sequence >= $2 AND sequence < $3 ORDER BY sequence LIMIT $4`,
    ),
    nodes: unnamed('nodes', `SELECT sequence, leaf_hash, nodes FROM ${entries} WHERE log_id = ${logOf} AND sequence = ANY($2::bigint[])`),
    latestCheckpoint: named(
      'latest-checkpoint',
      `SELECT tree_size, root_hash, note FROM ${checkpoints} WHERE log_id = ${logOf} ORDER BY tree_size DESC LIMIT 1`,
    ),
    checkpointAt: named(
      'checkpoint-at',
      `SELECT tree_size, root_hash, note FROM ${checkpoints} WHERE log_id = ${logOf} AND tree_size = $2`,
    ),
    checkpointPage: named(
      'checkpoint-page',
      `SELECT tree_size, root_hash, note FROM ${checkpoints} WHERE log_id = ${logOf} AND tree_size > $2 ORDER BY tree_size LIMIT $3`,
    ),
    // The first round trip of an append session, in the simple query protocol (several
    // statements, no parameters): open the transaction, lock the log row, and look up the
    // batch's event ids under that lock. Values arrive as quoted literals (`escapeLiteral`).
    openAppend: (tenantLiteral: string, idsLiteral: string | undefined): string =>
      [
        'BEGIN',
        `SELECT log_id, tree_size, chain_hash FROM ${logs} WHERE tenant = ${tenantLiteral} FOR UPDATE`,
        ...(idsLiteral === undefined
          ? []
          : [
              `SELECT ${ENTRY_COLUMNS} FROM ${entries} WHERE log_id = (SELECT log_id FROM ${logs} WHERE tenant = ${tenantLiteral}) AND id = ANY(${idsLiteral}::uuid[])`,
            ]),
      ].join('; '),
    // In-session statements address the locked log by id.
    sessionIds: unnamed('session-ids', `SELECT ${ENTRY_COLUMNS} FROM ${entries} WHERE log_id = $1 AND id = ANY($2::uuid[])`),
    sessionNodes: unnamed(
      'session-nodes',
      `SELECT sequence, leaf_hash, nodes FROM ${entries} WHERE log_id = $1 AND sequence = ANY($2::bigint[])`,
    ),
    // One round trip per batch: the rows arrive as one array per column.
    appendBatch: named(
      'append-batch',
      `WITH inserted AS (
         INSERT INTO ${entries} (log_id, sequence, id, type, source, subject, changeid, actor_id, event_time, recorded_at, canonical, leaf_hash, chain_hash, nodes)
         SELECT $1, * FROM unnest($2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                                  $9::timestamptz[], $10::timestamptz[], $11::bytea[], $12::bytea[], $13::bytea[], $14::bytea[])
       ), checkpoint AS (
         INSERT INTO ${checkpoints} (log_id, tree_size, root_hash, note) VALUES ($1, $15, $16, $17)
       )
       UPDATE ${logs} SET tree_size = $15, chain_hash = $18 WHERE log_id = $1`,
    ),
    // The checkpoint and head of a batch whose rows went in by COPY.
    appendHead: named(
      'append-head',
      `WITH checkpoint AS (
         INSERT INTO ${checkpoints} (log_id, tree_size, root_hash, note) VALUES ($1, $2, $3, $4)
       )
       UPDATE ${logs} SET tree_size = $2, chain_hash = $5 WHERE log_id = $1`,
    ),
  };
}

export type LedgerStatements = ReturnType<typeof ledgerStatements>;
