import Database from 'better-sqlite3';
import { translateSqliteError } from './sqlite-errors';

// Prepares each SQL text once per connection, and runs driver calls with their errors
// translated into the port's. Shared by the SQLite ledger and credential stores.
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  get(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  guard<T>(doing: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw translateSqliteError(e, doing);
    }
  }
}
