import { EntryClocks, EntryRef } from './population-facts';
import { attributesOf, columnsOf, FactIndex, ItemAttributes } from './item-attributes';
import { ControlTemplate } from './template';
import { TestException } from './test-kinds';

/** What an examined item came to: `exception` when some test of the control found one at its entry. */
export type ItemResult = 'pass' | 'exception';

/**
 * One item of a control's population as an auditor inspects it: where it is in the log, both
 * clocks, the attributes the control's tests examined and the result. A sampled item in
 * controls.json and a row of the control's population CSV are the same thing.
 */
export interface PopulationItem extends EntryClocks, EntryRef {
  /** The entry's event type. */
  readonly type: string;
  /** The attributes the control's tests examined here, by column name (`PopulationTable.columns` orders them). */
  readonly attributes: ItemAttributes;
  readonly result: ItemResult;
  /** The rules of the exceptions found at the entry, sorted (only for `exception`). */
  readonly rules?: readonly string[];
  /** Recorded more than the template's late-evidence threshold after it happened. */
  readonly late?: true;
}

/**
 * A control's whole population, item by item: what its population CSV holds. A long period's
 * population runs to hundreds of thousands of items, so each is built when asked for and not
 * kept: the CSV is written, and checked, one row at a time.
 */
export interface PopulationTable {
  readonly controlId: string;
  /** The attribute columns, in the order of the control's tests and of each kind's attributes. */
  readonly columns: readonly string[];
  /** The items' sequences, in order. */
  readonly sequences: readonly number[];
  /** The item at one of `sequences`. */
  item(sequence: number): PopulationItem;
  /** How many items have an exception. */
  readonly exceptions: number;
  /**
   * Entries (or the pack itself, -1) with an exception of the control that is no item of the
   * population nor of a merged change in it: counted in the deviation rate beside the items.
   */
  readonly unattributed: number;
}

// Lists a control's population items from the same facts its tests read (no other source):
// the sequences its tests examined, each with the attributes of every test that examined it,
// and its result from the control's exceptions.
export function populationTable(
  control: ControlTemplate,
  index: FactIndex,
  populations: readonly (readonly number[])[],
  exceptions: readonly TestException[],
  late: ReadonlySet<number>,
): PopulationTable {
  const columns = [...new Set(control.tests.flatMap((spec) => columnsOf(spec)))];
  const sequences = [...new Set(populations.flat())].sort((a, b) => a - b);
  const examinedBy = populations.map((p) => new Set(p));
  // An exception belongs to the item at its entry; one found at another entry of a change
  // (an approval by the author, say) belongs to that change's merge in the population.
  const inPopulation = new Set(sequences);
  const mergeOf = new Map<string, number>();
  for (const sequence of sequences) {
    const m = index.merges.get(sequence);
    if (m && !mergeOf.has(m.changeId)) mergeOf.set(m.changeId, sequence);
  }
  const rules = new Map<number, Set<string>>();
  const unattributed = new Set<number>();
  for (const x of exceptions) {
    const at = inPopulation.has(x.sequence) ? x.sequence : x.changeId !== undefined ? mergeOf.get(x.changeId) : undefined;
    if (at === undefined) {
      unattributed.add(x.sequence);
      continue;
    }
    const set = rules.get(at) ?? new Set<string>();
    rules.set(at, set.add(x.rule));
  }
  const item = (sequence: number): PopulationItem => {
    const entry = index.entries.get(sequence);
    if (!entry) throw new Error(`population item ${sequence} of control ${control.id} is not a fact of the population`);
    const ref = entry.fact;
    const examined: Record<string, string> = {};
    control.tests.forEach((spec, i) => {
      if (examinedBy[i]?.has(sequence)) Object.assign(examined, attributesOf(spec, sequence, index));
    });
    // Only what some test examined at this item, in column order: a deployment in a control of
    // merges and deployments has no merge attributes (its CSV cells for them are empty).
    const attributes: Record<string, string> = {};
    for (const c of columns) if (examined[c] !== undefined) attributes[c] = examined[c];
    const found = rules.get(sequence);
    return {
      sequence,
      eventId: ref.eventId,
      leafHash: ref.leafHash,
      type: entry.type,
      recordedAt: ref.recordedAt,
      ...(ref.time !== undefined ? { time: ref.time } : {}),
      attributes,
      result: found ? 'exception' : 'pass',
      ...(found ? { rules: [...found].sort() } : {}),
      ...(late.has(sequence) ? { late: true as const } : {}),
    };
  };
  return { controlId: control.id, columns, sequences, item, exceptions: rules.size, unattributed: unattributed.size };
}
