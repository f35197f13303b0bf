import { canonicalJson, ControlResult, ControlTemplate, examinesItems, PopulationItem, PopulationTable } from '@evidence-ledger/core';
import { CsvSyntaxError, readCsv } from './csv-format';
import { populationFileNames, populationHeader, populationRow, POPULATIONS_DIR } from './population-csv';

// Checks each control's population CSV against the population re-evaluated from the events:
// parsed with the verifier's own strict RFC 4180 reader, then compared cell by cell. A
// difference names the file, the row (1 is the header) and the column; a CSV the pack should
// carry and does not, or one no control has, is named too. Returns the rows checked.
export function checkPopulationCsvs(
  controls: readonly ControlTemplate[],
  tables: readonly PopulationTable[],
  files: Readonly<Record<string, Uint8Array>>,
  listed: readonly string[],
  fail: (where: string, message: string) => void,
): { files: number; rows: number; ok: boolean } {
  const names = populationFileNames(controls.map((c) => c.id));
  const expected = new Set<string>();
  let rows = 0;
  let ok = true;
  controls.forEach((control, i) => {
    if (!control.tests.some(examinesItems)) return;
    const name = names.get(control.id) as string;
    expected.add(name);
    const bytes = files[name];
    if (!bytes) {
      // A file the manifest lists but the zip lacks is reported with the digests.
      if (!listed.includes(name)) fail(name, `missing: the pack carries no population file for control ${control.id}`);
      ok = false;
      return;
    }
    const problem = compareCsv(Buffer.from(bytes).toString('utf8'), tables[i]);
    if (problem) {
      fail(name, problem);
      ok = false;
    }
    rows += tables[i].sequences.length;
  });
  for (const name of listed)
    if (name.startsWith(POPULATIONS_DIR) && !expected.has(name)) {
      fail(name, 'no control of the template has this population file');
      ok = false;
    }
  return { files: expected.size, rows, ok };
}

// The first difference between a CSV and the population table, row by row and cell by cell.
function compareCsv(text: string, table: PopulationTable): string | undefined {
  const header = populationHeader(table);
  const items = table.sequences.length;
  let problem: string | undefined;
  let read = 0;
  try {
    readCsv(text, (got, r) => {
      read = r + 1;
      if (r > items) {
        problem = `row ${r + 1}: one row more than the ${items} items of control ${table.controlId}'s re-evaluated population`;
        return false;
      }
      const want = r === 0 ? header : populationRow(table, r - 1);
      for (let c = 0; c < Math.max(got.length, want.length); c++)
        if (got[c] !== want[c]) {
          const where = r === 0 ? 'row 1 (the header)' : `row ${r + 1} (sequence ${want[1]})`;
          problem = `${where}, column ${c + 1} (${header[c] ?? 'beyond the header'}): ${JSON.stringify(got[c] ?? null)} differs from the re-evaluation (${JSON.stringify(want[c] ?? null)})`;
          return false;
        }
      return true;
    });
  } catch (e) {
    return e instanceof CsvSyntaxError ? `not RFC 4180 CSV: ${e.message}` : (e as Error).message;
  }
  if (problem) return problem;
  if (read <= items)
    return `row ${read + 1} is missing: control ${table.controlId}'s re-evaluated population has ${items} items (sequence ${table.sequences[Math.max(read - 1, 0)]} is the first missing)`;
  return undefined;
}

// Names how a control's sample in controls.json differs from the one re-drawn from the
// checkpoint root: other items drawn, or an item whose attributes or result differ.
export function sampleDifference(claimed: unknown, actual: ControlResult): string | undefined {
  const sample = (typeof claimed === 'object' && claimed !== null ? (claimed as { sample?: unknown }).sample : undefined) as
    { size?: unknown; items?: unknown } | undefined;
  if (canonicalJson(sample ?? null) === canonicalJson(actual.sample)) return undefined;
  const what = `control ${actual.id}: its sample differs from the sample re-drawn from the checkpoint root`;
  const items = Array.isArray(sample?.items) ? (sample.items as Partial<PopulationItem>[]) : [];
  const claimedSequences = items.map((i) => i?.sequence);
  const drawn = actual.sample.items.map((i) => i.sequence);
  if (sample?.size !== actual.sample.size || canonicalJson(claimedSequences) !== canonicalJson(drawn))
    return `${what}: it lists sequences ${claimedSequences.join(', ') || 'none'} (size ${String(sample?.size)}); re-drawn: ${drawn.join(', ') || 'none'} (size ${actual.sample.size})`;
  for (const [i, item] of actual.sample.items.entries()) {
    const other = items[i] as Record<string, unknown>;
    for (const key of new Set([...Object.keys(item), ...Object.keys(other ?? {})])) {
      const mine = (item as unknown as Record<string, unknown>)[key];
      if (canonicalJson(other?.[key] ?? null) !== canonicalJson(mine ?? null))
        return `${what}: item ${i + 1} (sequence ${item.sequence}) has ${key} ${canonicalJson(other?.[key] ?? null)}; re-drawn: ${canonicalJson(mine ?? null)}`;
    }
  }
  return what;
}
