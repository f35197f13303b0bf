import { addPeriod, ArchiveStore, RetentionPolicy, retainUntil } from '@evidence-ledger/archive';
import { EvidenceTemplate, PackRetention } from '@evidence-ledger/core';

const DAY_MS = 86_400_000;

/** How long a pack is kept, and what the pack may say about it. */
export interface PackLock {
  /** The date the archive is asked to keep the pack until. */
  readonly retainUntil: Date;
  /** What controls.json states: the days, and whether the archive enforces them. */
  readonly retention: PackRetention;
}

// One source of truth for a pack's retention (docs/evidence-packs.md, "Retention"): the
// template's `retention.days`, which `LEDGER_ARCHIVE_RETENTION` may lengthen but never
// shorten. The pack claims the lock only when the archive enforces it (S3 Object Lock); a
// directory keeps the date as a best-effort record, and the pack says "not locked".
export function packLock(
  template: EvidenceTemplate,
  archive: Pick<ArchiveStore, 'kind' | 'worm'>,
  policy: RetentionPolicy | undefined,
  now: Date,
): PackLock {
  const byTemplate = addPeriod(now, { years: 0, months: 0, days: template.retention.days });
  const byPolicy = policy ? retainUntil(policy, now) : now;
  const until = byPolicy.getTime() > byTemplate.getTime() ? byPolicy : byTemplate;
  return {
    retainUntil: until,
    retention: { days: Math.floor((until.getTime() - now.getTime()) / DAY_MS), locked: archive.worm, archive: archive.kind },
  };
}
