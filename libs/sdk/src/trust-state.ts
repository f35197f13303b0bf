import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurably } from '@evidence-ledger/core';
import { LedgerIntegrityError } from './errors';

/** The file, inside the spool directory, that keeps what the client trusts across restarts. */
export const TRUST_STATE_FILE = 'trust.json';

/**
 * What a producer has established about the log it writes to. `checkpoint` is the newest
 * checkpoint it verified (a signed note): a restarted producer checks every later checkpoint
 * against it, so a log rolled back or forked while it was down is still detected.
 */
export interface TrustState {
  /** The log's origin, once known. */
  readonly origin?: string;
  /** Verifier keys learned on first use (trust-on-first-use mode only). */
  readonly learnedKeys?: readonly string[];
  /** The newest verified checkpoint note. */
  readonly checkpoint?: string;
}

/**
 * The trust state on disk: read once at start, written whenever it changes — at most one
 * write at a time, the latest state winning — via a synced temporary file renamed over the
 * old one, so a crash leaves either the old state or the new one.
 */
export class TrustStateFile {
  private wanted: TrustState | undefined;
  private writing: Promise<void> | undefined;

  constructor(
    readonly file: string,
    /** Told when a write fails; the state in memory stays in force, only the restart protection weakens. */
    private readonly onError: (error: Error) => void,
  ) {}

  static inDirectory(dir: string, onError: (error: Error) => void): TrustStateFile {
    return new TrustStateFile(join(dir, TRUST_STATE_FILE), onError);
  }

  load(): TrustState | undefined {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      const state = JSON.parse(text) as TrustState;
      const strings = (v: unknown) => v === undefined || typeof v === 'string';
      const keys =
        state.learnedKeys === undefined || (Array.isArray(state.learnedKeys) && state.learnedKeys.every((k) => typeof k === 'string'));
      if (typeof state !== 'object' || state === null || !strings(state.origin) || !strings(state.checkpoint) || !keys)
        throw new Error('unexpected shape');
      return state;
    } catch (cause) {
      throw new LedgerIntegrityError('TRUST_STATE_INVALID', `${this.file} is not a trust state: ${(cause as Error).message}`, undefined, {
        cause,
      });
    }
  }

  save(state: TrustState): void {
    this.wanted = state;
    this.writing ??= this.writeLatest();
  }

  /** Resolves once the last state saved is on disk. */
  async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async writeLatest(): Promise<void> {
    try {
      while (this.wanted) {
        // Off the current turn, so a burst of saves coalesces into one write.
        await new Promise((resolve) => setImmediate(resolve));
        const state = this.wanted;
        this.wanted = undefined;
        writeFileDurably(this.file, `${JSON.stringify(state, null, 2)}\n`);
      }
    } catch (e) {
      this.onError(e as Error);
    } finally {
      this.writing = undefined;
    }
  }
}
