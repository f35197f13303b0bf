import { SarifLevel } from './sarif-log';

/** The five severities `scan.completed` counts findings in. */
export type ScanSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export const SCAN_SEVERITIES: readonly ScanSeverity[] = ['critical', 'high', 'medium', 'low', 'info'];

// GitHub code scanning's `security-severity` bands (a CVSS-style score, 0.0–10.0, in the
// result's or its rule's `properties`): over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium,
// 0.1–3.9 low. A score of 0 counts as info.
export function severityFromScore(score: unknown): ScanSeverity | undefined {
  const n = typeof score === 'number' ? score : typeof score === 'string' && /^\d+(\.\d+)?$/.test(score.trim()) ? Number(score) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 10) return undefined;
  if (n >= 9) return 'critical';
  if (n >= 7) return 'high';
  if (n >= 4) return 'medium';
  if (n > 0) return 'low';
  return 'info';
}

// Without a score, a SARIF level stands for a severity: error → high, warning → medium,
// note → low, none → info. Nothing is critical unless a score says so.
export function severityFromLevel(level: SarifLevel): ScanSeverity {
  return ({ error: 'high', warning: 'medium', note: 'low', none: 'info' } as const)[level];
}

/** Severities at or above `threshold`, most severe first. */
export function atOrAbove(threshold: ScanSeverity): ScanSeverity[] {
  return SCAN_SEVERITIES.slice(0, SCAN_SEVERITIES.indexOf(threshold) + 1);
}
