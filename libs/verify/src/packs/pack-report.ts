import { PackVerification } from './pack-verifier';

type ControlStatus = NonNullable<PackVerification['controls']>['controls'][number]['status'];

const STATUS_LABEL: Record<ControlStatus, string> = {
  satisfied: 'satisfied     ',
  'not-satisfied': 'NOT SATISFIED ',
  'not-tested': 'NOT TESTED    ',
  'not-applicable': 'n/a           ',
};

// The readable report of `evidence-ledger verify <pack.zip>`: what the pack is, every check
// that held, each control as re-evaluated, and every problem with where it is.
export function formatPackVerification(path: string, v: PackVerification): string {
  const lines: string[] = [];
  const m = v.manifest;
  // A pack signed by another key is said first, so the failures it causes do not read like tampering.
  if (v.wrongKey) lines.push(`FAILED: ${v.wrongKey}`);
  lines.push(`${v.ok ? 'VERIFIED' : 'FAILED'}  evidence pack ${path}`);
  if (m) {
    lines.push(`  framework ${m.framework}  tenant ${m.tenant}  period ${m.period.from} .. ${m.period.to}`);
    lines.push(`  checkpoint ${m.checkpoint.origin} #${m.checkpoint.treeSize}  root ${m.checkpoint.rootHash}`);
  }
  lines.push('', 'Checks:');
  for (const p of v.passed) lines.push(`  ok    ${p}`);
  for (const f of v.failures) lines.push(`  FAIL  ${f}`);
  if (v.controls) {
    lines.push('', 'Controls (re-evaluated from events.jsonl):');
    for (const c of v.controls.controls) {
      lines.push(
        `  ${STATUS_LABEL[c.status]} ${c.id.padEnd(22)} ${c.title}  (population ${c.populationSize}, exceptions ${c.exceptions.length})`,
      );
      if (c.status === 'not-tested' && c.reason) lines.push(`                 ${c.reason}`);
      for (const x of c.exceptions.slice(0, 5))
        lines.push(
          `                 entry ${x.sequence}${x.changeId ? ` ${x.changeId}` : ''}${x.late ? ' (late evidence)' : ''}: ${x.reason}`,
        );
      if (c.exceptions.length > 5) lines.push(`                 … ${c.exceptions.length - 5} more`);
    }
    const s = v.controls.summary;
    lines.push(
      `  ${s.controls} controls: ${s.satisfied} satisfied, ${s.notSatisfied} not satisfied, ${s.notTested} not tested, ${s.notApplicable} not applicable`,
    );
    const late = v.controls.lateEvidence;
    lines.push(`  late evidence: ${late.entries.length} entries recorded more than ${late.thresholdHours} h after they happened`);
  }
  lines.push('', v.ok ? 'Every signature, digest, proof and control verdict holds.' : `${v.failures.length} problem(s) found.`);
  return `${lines.join('\n')}\n`;
}
