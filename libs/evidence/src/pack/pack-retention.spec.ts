import { parseRetentionPolicy } from '@evidence-ledger/archive';
import { packLock } from './pack-retention';
import { TemplateCatalog } from '../templates/template-catalog';

const catalog = TemplateCatalog.load();
const now = new Date('2026-10-01T00:00:00.000Z');
const s3 = { kind: 's3', worm: true } as const;
const disk = { kind: 'disk', worm: false } as const;
const hipaa = catalog.get('hipaa');
const euAiAct = catalog.get('eu-ai-act');
if (!hipaa || !euAiAct) throw new Error('built-in templates missing');

describe('pack retention', () => {
  it("is the template's retention, claimed as locked only on an archive that enforces it", () => {
    expect(packLock(hipaa, s3, undefined, now)).toEqual({
      retainUntil: new Date('2032-10-01T00:00:00.000Z'),
      retention: { days: 2192, locked: true, archive: 's3' },
    });
    expect(packLock(hipaa, disk, undefined, now).retention).toEqual({ days: 2192, locked: false, archive: 'disk' });
  });

  it('LEDGER_ARCHIVE_RETENTION may lengthen it, never shorten it', () => {
    expect(packLock(euAiAct, s3, parseRetentionPolicy('eu-ai-act=2y'), now)).toEqual({
      retainUntil: new Date('2028-10-01T00:00:00.000Z'),
      retention: { days: 731, locked: true, archive: 's3' },
    });
    expect(packLock(hipaa, s3, parseRetentionPolicy('soc2'), now).retention.days).toBe(2192);
    expect(packLock(euAiAct, s3, parseRetentionPolicy('soc2'), now).retention.days).toBe(365);
  });
});
