import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Machine } from './machine';
import { BASELINES, COMPARISONS, describeTarget, formatNumber, meets, Target, TARGETS } from './targets';

/** One number a benchmark measured. `id` is what targets.ts refers to. */
export interface Measurement {
  readonly id: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** How it was measured: sizes, rounds, spread, splits. Goes to latest.json only. */
  readonly details?: Readonly<Record<string, number | string | boolean>>;
}

export interface ReportRow {
  readonly id: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: { readonly id: string; readonly name: string; readonly value: number };
  readonly ratio?: number;
  readonly targets: readonly string[];
  /** Undefined when the row has no target (or its baseline was not measured). */
  readonly pass?: boolean;
}

// Resolves baselines and targets across everything measured in this run: a ratio is only
// ever between two numbers taken side by side on the same machine.
export function reportRows(measurements: readonly Measurement[]): ReportRow[] {
  const byId = new Map(measurements.map((m) => [m.id, m]));
  const row = (id: string, name: string, m: Measurement, baselineId: string | undefined, targets: readonly Target[]): ReportRow => {
    const base = baselineId === undefined ? undefined : byId.get(baselineId);
    const ratio = base && base.value > 0 ? m.value / base.value : undefined;
    const verdicts = targets.map((t) => meets(t, t.on === 'ratio' ? ratio : m.value));
    return {
      id,
      name,
      value: m.value,
      unit: m.unit,
      baseline: base && { id: base.id, name: base.name, value: base.value },
      ratio,
      targets: targets.map((t) => describeTarget(t, m.unit)),
      pass: verdicts.length === 0 || verdicts.includes(undefined) ? undefined : verdicts.every(Boolean),
    };
  };
  const rows = measurements.map((m) => row(m.id, m.name, m, BASELINES[m.id], TARGETS[m.id] ?? []));
  for (const c of COMPARISONS) {
    const subject = byId.get(c.subject);
    if (subject && byId.has(c.baseline)) rows.push(row(c.id, c.name, subject, c.baseline, c.targets));
  }
  return rows;
}

// The table as Markdown, so the same text reads in a terminal and pastes into docs/.
export function formatTable(rows: readonly ReportRow[]): string {
  const header = ['benchmark', 'result', 'unit', 'baseline', 'ratio', 'target', 'pass'];
  const body = rows.map((r) => [
    r.name,
    formatNumber(r.value, r.unit),
    r.unit,
    r.baseline ? `${r.baseline.name}: ${formatNumber(r.baseline.value, r.unit)}` : '',
    r.ratio === undefined ? '' : `${formatNumber(r.ratio, '×')}×`,
    r.targets.join(', '),
    r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 1 || i === 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 1 || i === 4 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

export interface RunRecord {
  readonly date: string;
  readonly command: string;
  readonly quick: boolean;
  readonly durationSeconds: number;
  /** The git commit measured (`+ uncommitted changes in libs/` when the tree was dirty). */
  readonly revision: string;
  /** 1, 5 and 15 minute load averages: anything else running skews the numbers. */
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
  readonly machine: Machine;
  readonly rows: readonly ReportRow[];
  readonly measurements: readonly Measurement[];
}

export function writeRecord(file: string, record: RunRecord): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
}
