import { ControlTemplate, examinesItems, PopulationItem, PopulationTable } from '@evidence-ledger/core';
import { csvRecord } from './csv-format';

/** Where a pack keeps its population CSVs: `populations/<control id as a safe file name>.csv`. */
export const POPULATIONS_DIR = 'populations/';

/** The columns every population CSV starts with, before the attributes its control's tests examined. */
export const ENTRY_COLUMNS = ['eventId', 'sequence', 'leafHash', 'type', 'time', 'recordedAt'] as const;
/** …and ends with. */
export const RESULT_COLUMNS = ['result', 'rules', 'late'] as const;

// Names each control's CSV: characters other than letters, digits, `.`, `-` and `_` become `_`
// (`164.312(b)` → `164.312_b_.csv`); a name already taken by an earlier control, in template
// order, gets `-2`, `-3`, … so two ids never share a file.
export function populationFileNames(controlIds: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const id of controlIds) {
    const base = id.replace(/[^A-Za-z0-9._-]/g, '_');
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}-${n}`;
    taken.add(name.toLowerCase());
    names.set(id, `${POPULATIONS_DIR}${name}.csv`);
  }
  return names;
}

/** The header row of a control's population CSV. */
export function populationHeader(table: PopulationTable): string[] {
  return [...ENTRY_COLUMNS, ...table.columns, ...RESULT_COLUMNS];
}

/** The row of one item (the `n`th of `table.sequences`), as the CSV holds it. */
export function populationRow(table: PopulationTable, n: number): string[] {
  return itemRow(table.item(table.sequences[n]), table.columns);
}

function itemRow(item: PopulationItem, columns: readonly string[]): string[] {
  return [
    item.eventId,
    String(item.sequence),
    item.leafHash,
    item.type,
    item.time ?? '',
    item.recordedAt,
    ...columns.map((c) => item.attributes[c] ?? ''),
    item.result,
    (item.rules ?? []).join('; '),
    item.late ? 'true' : 'false',
  ];
}

/** A control's population CSV, byte for byte, written a row at a time. */
export function populationCsv(table: PopulationTable): Buffer {
  const records: string[] = [csvRecord(populationHeader(table))];
  for (let n = 0; n < table.sequences.length; n++) records.push(csvRecord(populationRow(table, n)));
  return Buffer.from(records.join(''), 'utf8');
}

// The CSV files of a pack, in template order: one per control with a test that examines
// entries one by one (a control of the log's integrity or the pack's retention has none),
// even when its population is empty (the header alone then says so).
export function populationFiles(controls: readonly ControlTemplate[], tables: readonly PopulationTable[]): [string, Buffer][] {
  const names = populationFileNames(controls.map((c) => c.id));
  return controls.flatMap((control, i): [string, Buffer][] =>
    control.tests.some(examinesItems) ? [[names.get(control.id) as string, populationCsv(tables[i])]] : [],
  );
}
