import { ScanResult } from '../change-state';
import { ExceptionRule } from './exception-rule';

// At `change.merged`: for some scan kind, the change's latest scan of that kind failed.
export const mergedWithFailingScan: ExceptionRule = {
  id: 'merged-with-failing-scan',
  title: 'Merged with a failing scan',
  evaluate({ entry, changes }) {
    if (entry.type !== 'change.merged') return [];
    return changes.flatMap((c) => {
      const latest = new Map<string, ScanResult>();
      for (const s of c.scans) latest.set(s.kind, s);
      const failing = [...latest.values()].filter((s) => !s.passed);
      if (failing.length === 0) return [];
      return [
        {
          rule: 'merged-with-failing-scan' as const,
          changeId: c.changeId,
          reason: `merged while its latest ${failing.map((s) => s.kind).join(', ')} scan${failing.length > 1 ? 's' : ''} failed`,
          details: { scans: failing.map((s) => ({ kind: s.kind, tool: s.tool ?? null, sequence: s.sequence, findings: s.findings })) },
        },
      ];
    });
  },
};
