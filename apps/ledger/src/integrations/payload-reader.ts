import { FieldViolation, InvalidEventError, isPlainObject } from '@evidence-ledger/core';

export type JsonObject = Record<string, unknown>;

interface TextRule {
  readonly max?: number;
  readonly pattern?: RegExp;
  readonly hint?: string;
}

/**
 * Reads fields of a foreign payload (an OPA decision, a GitHub webhook) by dotted path, and
 * collects what is missing or malformed under the payload's own paths (`pull_request.head.sha`,
 * `[3].decision_id`), so a rejected request names the foreign field at fault, not the envelope
 * the adapter would have built.
 */
export class PayloadReader {
  private readonly found: FieldViolation[] = [];

  constructor(
    private readonly root: unknown,
    private readonly prefix = '',
  ) {}

  /** The value at `path` (`a.b.0.c`), or undefined when any step is missing. */
  value(path: string): unknown {
    let node: unknown = this.root;
    for (const key of path.split('.')) {
      if (Array.isArray(node) && /^\d+$/.test(key)) node = node[Number(key)];
      else if (isPlainObject(node) && Object.prototype.hasOwnProperty.call(node, key)) node = node[key];
      else return undefined;
    }
    return node;
  }

  /** A required string; records a violation and returns undefined when absent or not matching the rule. */
  text(path: string, rule: TextRule = {}): string | undefined {
    const v = this.value(path);
    if (v === undefined || v === null) return this.violate(path, 'is required');
    return this.checkText(path, v, rule);
  }

  /** An optional string: absent or null is fine, anything else must match the rule. */
  optionalText(path: string, rule: TextRule = {}): string | undefined {
    const v = this.value(path);
    return v === undefined || v === null ? undefined : this.checkText(path, v, rule);
  }

  integer(path: string): number | undefined {
    const v = this.value(path);
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
    return this.violate(path, v === undefined ? 'is required' : 'must be a non-negative integer');
  }

  object(path: string): JsonObject | undefined {
    const v = this.value(path);
    if (isPlainObject(v)) return v;
    return this.violate(path, v === undefined ? 'is required' : 'must be an object');
  }

  violate(path: string, message: string): undefined {
    this.found.push({ path: this.at(path), message });
    return undefined;
  }

  get violations(): readonly FieldViolation[] {
    return this.found;
  }

  /** Throws every violation found so far as one INVALID_ENVELOPE error. */
  assertValid(message: string): void {
    if (this.found.length > 0) throw new InvalidEventError(message, this.found);
  }

  private checkText(path: string, v: unknown, { max = 1024, pattern, hint }: TextRule): string | undefined {
    if (typeof v !== 'string') return this.violate(path, 'must be a string');
    if (v.length === 0) return this.violate(path, 'must not be empty');
    if (v.length > max) return this.violate(path, `must be at most ${max} characters`);
    if (pattern && !pattern.test(v)) return this.violate(path, hint ?? 'is malformed');
    return v;
  }

  // `a.0.b` under `[3]` reads `[3].a[0].b`, the path style of every problem the API reports.
  private at(path: string): string {
    const steps = path === '' ? [] : path.split('.').map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`));
    const joined = `${this.prefix}${steps.join('')}`;
    return joined.startsWith('.') ? joined.slice(1) : joined || '$';
  }
}
