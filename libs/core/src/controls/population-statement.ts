import { ControlTestSpec } from './template';

/** Where a pack's population lies in the log and what proves it, for the statements below. */
export interface PopulationBounds {
  readonly period: { readonly from: string; readonly to: string };
  readonly repositories: readonly string[];
  readonly checkpoint: { readonly origin: string; readonly treeSize: number };
  /** Entries recorded in the period: the last `entries` of the pack's `[0, end)`. */
  readonly entries: number;
  readonly end: number;
}

// The entries one test kind selects, named by event type, so an auditor can select the same
// rows from events.jsonl (or the service) with their own tools.
function selected(spec: ControlTestSpec): string {
  switch (spec.kind) {
    case 'independent-approval-before-merge':
    case 'scan-passed-before-merge':
    case 'policy-evaluated-before-merge':
      return 'change.merged entries';
    case 'model-on-allow-list':
      return 'model.invocation.completed and x.governance.settings.updated entries';
    case 'deploy-approved':
      return 'deployment.completed entries to an environment the governance settings in force require a deploy approval for';
    case 'agent-within-scope':
      return 'agent.action.performed entries';
    case 'human-oversight-at-checkpoints': {
      const merges = spec.checkpoints.some((c) => c !== 'deploy')
        ? [`change.merged entries of AI-generated changes (checkpoints ${spec.checkpoints.filter((c) => c !== 'deploy').join(', ')})`]
        : [];
      const deploys = spec.checkpoints.includes('deploy')
        ? ['deployment.completed entries carrying an AI-generated change to an environment needing a deploy approval']
        : [];
      return [...merges, ...deploys].join(' and ');
    }
    case 'log-integrity-verified':
      return 'every entry';
    case 'retention-met':
      return "the pack itself (the archive's lock on it)";
  }
}

/**
 * The population's selection criteria, derived from the control's tests: per test, the event
 * types it selects, the period and the clock that selects it, and the scope.
 */
export function selectionCriteria(tests: readonly ControlTestSpec[], bounds: PopulationBounds): string {
  if (tests.length === 0) return 'none: the control has no automated test';
  const { from, to } = bounds.period;
  const scope =
    bounds.repositories.length === 0
      ? 'of every repository of the tenant'
      : `of changes in the repositories ${bounds.repositories.join(', ')} (tenant-wide entries, with no change, always in scope)`;
  const period = `recorded (recordedAt, the ledger's clock) in [${from}, ${to})`;
  return tests
    .map((spec) => {
      if (spec.kind === 'retention-met') return `${spec.kind}: ${selected(spec)}`;
      // The log's integrity covers every entry of the period, whatever its repository.
      if (spec.kind === 'log-integrity-verified') return `${spec.kind}: ${selected(spec)} of the tenant's log ${period}`;
      return `${spec.kind}: ${selected(spec)} ${period} ${scope}`;
    })
    .join('; ');
}

/**
 * Why the population is complete: the period's entries are a contiguous run of the log, and
 * the range proof ties every entry from 0 to the run's end to the signed checkpoint, so none
 * can have been left out, added or altered.
 */
export function completenessStatement(bounds: PopulationBounds): string {
  const { from, to } = bounds.period;
  const { origin, treeSize } = bounds.checkpoint;
  const first = bounds.end - bounds.entries;
  const run =
    bounds.entries === 0
      ? `no entry of the log was recorded in [${from}, ${to})`
      : `the population is every entry recorded in [${from}, ${to}): sequences ${first} to ${bounds.end - 1} of the log (${bounds.entries} ${bounds.entries === 1 ? 'entry' : 'entries'})`;
  if (bounds.end === 0)
    return `${run}; proofs/range.json shows against the signed checkpoint ${origin} #${treeSize} that the log held no entry recorded before ${to}`;
  return `${run}; proofs/range.json proves entries 0 to ${bounds.end - 1} of events.jsonl, in order, complete against the signed checkpoint ${origin} #${treeSize}, so no entry of the period can be left out, added or altered`;
}
