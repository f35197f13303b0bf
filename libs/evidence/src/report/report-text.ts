import { ControlResult, ControlsReport, DeviationRate, PackRetention, SampleBasis, TestException } from '@evidence-ledger/core';

/** Hex digits of a leaf hash the report prints to cite an entry (the full hash is in controls.json). */
export const LEAF_PREFIX = 12;

// How the report words recurring facts: dates, clocks, counts, retention, the sample's basis.

// A period bound as a date when it is midnight UTC, to the minute (or finer) otherwise: a cover
// that says "to 2026-12-08" for a period ending at 01:30 that day would misstate it.
export function day(iso: string): string {
  const time = iso.slice(11).replace(/Z$/, '');
  if (/^00:00(:00(\.0+)?)?$/.test(time)) return iso.slice(0, 10);
  return `${iso.slice(0, 10)} ${time.replace(/(:00)?(\.0+)?$/, '')} UTC`;
}

export function utc(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function populationText(report: ControlsReport): string {
  const n = report.population.entries;
  return `${n} ${n === 1 ? 'entry' : 'entries'} recorded (by the ledger's clock) in the period`;
}

export function carriedText(entries: { readonly start: number; readonly end: number }): string {
  return entries.end > entries.start ? `the pack carries entries ${entries.start} to ${entries.end - 1}` : 'the pack carries no entries';
}

export function lateText(report: ControlsReport): string {
  const { thresholdHours, entries } = report.lateEvidence;
  return entries.length === 0
    ? `none (no entry recorded more than ${thresholdHours} h after it happened)`
    : `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} recorded more than ${thresholdHours} h after ${entries.length === 1 ? 'it' : 'they'} happened (flagged, see "Late evidence")`;
}

// Retention is claimed only when the archive enforces it.
export function retentionText(r: PackRetention): string {
  if (r.locked) return `locked for ${r.days} days from archiving (S3 Object Lock, COMPLIANCE mode)`;
  if (r.archive === 'disk') return 'not locked: archived in a directory, which does not enforce retention';
  return 'not locked: the pack was built outside an archive that enforces retention';
}

export function clockCell(x: TestException): string {
  if (x.recordedAt === undefined) return '-';
  return `${x.time ? utc(x.time) : '-'}\n${utc(x.recordedAt)}${x.late ? '\nLATE EVIDENCE' : ''}`;
}

export function delay(time: string, recordedAt: string): string {
  const hours = (Date.parse(recordedAt) - Date.parse(time)) / 3_600_000;
  return hours >= 48 ? `${Math.floor(hours / 24)} d ${Math.floor(hours % 24)} h` : `${Math.floor(hours)} h`;
}

export function words(token: string): string {
  return token.replace(/-/g, ' ');
}

/** Why the sample has the size it has, in words. */
export function sampleBasisText(basis: SampleBasis, planned: number): string {
  switch (basis.by) {
    case 'template':
      return `${planned}, as the template sets for this control`;
    case 'frequency':
      return `${planned}, for a control operating ${words(basis.frequency)} (see "Type II sampling")`;
    default:
      return `${planned}, the default when the template states neither a size nor a frequency`;
  }
}

export function sampleText(c: ControlResult): string {
  const { size, planned, basis } = c.sample;
  if (c.tests.length === 0) return 'none: the control has no automated test';
  if (c.populationSize === 0) return 'none: the population is empty';
  if (c.sample.size === 0)
    return "none drawn: the control's tests examine their whole population themselves (every entry's proof to the signed checkpoint, or the pack's lock), so there is nothing to sample";
  // Out of the items the sample is drawn from (not the log entries a control may also verify).
  const from = c.deviationRate.population.size;
  const of = `${size} of ${from} ${from === 1 ? 'item' : 'items'}`;
  return `${of}; planned size ${sampleBasisText(basis, planned)}${size < planned ? ', capped at the population' : ''}. Drawn from the checkpoint root, so anyone can redraw it.`;
}

// A table's "Entry" cell: the sequence, then the event id and leaf-hash prefix to trace it by.
export function entryCell(e: { readonly sequence: number; readonly eventId?: string; readonly leafHash?: string }): string {
  if (e.sequence < 0) return '-';
  return `${e.sequence}\n${e.eventId ?? '?'}\nleaf ${(e.leafHash ?? '').slice(0, LEAF_PREFIX)}`;
}

export function rateText(d: DeviationRate): string {
  return d.rate === null ? 'n/a' : `${d.exceptions}/${d.size} = ${(d.rate * 100).toFixed(1)}%`;
}
