import { ExceptionRule } from './exception-rule';

// At `change.merged`: a scan kind the tenant requires (settings `requiredScanKinds`) never ran
// on the change — or, with no kinds required, no scan of any kind ran.
export const mergedWithoutRequiredScan: ExceptionRule = {
  id: 'merged-without-required-scan',
  title: 'Merged with a missing scan',
  evaluate({ entry, changes, settings }) {
    if (entry.type !== 'change.merged') return [];
    return changes.flatMap((c) => {
      const ran = new Set(c.scans.map((s) => s.kind));
      const required = settings.requiredScanKinds;
      const missing = required.length > 0 ? required.filter((k) => !ran.has(k)) : ran.size === 0 ? ['any'] : [];
      if (missing.length === 0) return [];
      return [
        {
          rule: 'merged-without-required-scan' as const,
          changeId: c.changeId,
          reason: required.length > 0 ? `merged without a ${missing.join(', ')} scan` : 'merged without any scan',
          details: { missing, required },
        },
      ];
    });
  },
};
