import { PackRetention } from './test-kinds';
import { EvidenceTemplate } from './template';

/**
 * A record-keeping requirement of the framework (HIPAA §164.316(b)(2), EU AI Act Art. 12/19)
 * against the facts of this pack: what the ledger logged automatically, over which period, and
 * whether the archive's lock enforces the retention the requirement asks — never claimed when
 * nothing enforces it.
 */
export interface RecordKeepingFacts {
  readonly title: string;
  readonly requirement: string;
  readonly minimumDays: number;
  /** Entries the ledger recorded in the period: every event is logged as it is posted, with the ledger's own commit time. */
  readonly logged: { readonly entries: number; readonly from: string; readonly to: string; readonly clock: 'recordedAt' };
  readonly retention: PackRetention;
  /** Whether the archive locks this pack for at least `minimumDays`. */
  readonly enforced: boolean;
  readonly statement: string;
}

export function recordKeepingFacts(
  template: EvidenceTemplate,
  entries: number,
  period: { readonly from: string; readonly to: string },
  retention: PackRetention,
): RecordKeepingFacts | undefined {
  const rule = template.recordKeeping;
  if (!rule) return undefined;
  const enforced = retention.locked && retention.days >= rule.minimumDays;
  const statement = enforced
    ? `The archive locks this pack for ${retention.days} days (S3 Object Lock, compliance mode), at least the ${rule.minimumDays} days required.`
    : retention.locked
      ? `The archive locks this pack for ${retention.days} days only, fewer than the ${rule.minimumDays} days required: the requirement is not enforced for this pack.`
      : `Nothing enforces the ${rule.minimumDays}-day retention for this pack: ${
          retention.archive === 'disk'
            ? 'it is archived in a directory, which does not lock it'
            : 'it was not built into an archive that locks it'
        }. Keeping it is the tenant's responsibility.`;
  return {
    title: rule.title,
    requirement: rule.requirement,
    minimumDays: rule.minimumDays,
    logged: { entries, from: period.from, to: period.to, clock: 'recordedAt' },
    retention,
    enforced,
    statement,
  };
}
