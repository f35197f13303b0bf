import { ChangeState } from '@evidence-ledger/ledger';
import { ChangeEvidence } from './change-evidence';
import { ChangeVerification } from './change-verifier';

const usd = (micros: number) => `$${(micros / 1e6).toFixed(4)}`;

// The timeline as an investigator reads it in a terminal: one line per step with its
// verification mark, then the derived state, the exceptions, and the verdict.
export function formatTimeline(evidence: ChangeEvidence, verification: ChangeVerification): string {
  const lines: string[] = [];
  const point =
    evidence.asOf === undefined ? 'now' : 'sequence' in evidence.asOf ? `sequence ${evidence.asOf.sequence}` : evidence.asOf.time;
  lines.push(`change ${evidence.changeId}  (as of ${point})`);
  const c = verification.checkpoint;
  lines.push(c ? `checkpoint ${c.origin}, tree size ${c.treeSize}: signature verified` : 'checkpoint: NOT verified');
  lines.push('');
  const checks = new Map(verification.steps.map((s) => [s.sequence, s]));
  const width = Math.max(4, ...evidence.steps.map((s) => String(s.sequence).length + 1));
  for (const step of evidence.steps) {
    const check = checks.get(step.sequence);
    const mark = check?.ok ? '✓' : '✗';
    const who = step.actor ? `${step.actor.id}` : '';
    lines.push(
      `${mark} ${`#${step.sequence}`.padEnd(width)} ${step.time ?? step.recordedAt}  ${(step.status ?? '').padEnd(11)} ${step.type.padEnd(27)} ${step.summary}${who && !step.summary.includes(who) ? `  [${who}]` : ''}`,
    );
    if (check && !check.ok) lines.push(`    ✗ ${check.problem}`);
  }
  lines.push('', ...describeState(verification.state ?? evidence.state));
  lines.push(
    evidence.exceptions.length === 0
      ? 'exceptions: none'
      : `exceptions (${evidence.exceptions.length}):\n${evidence.exceptions.map((x) => `  ! #${x.sequence} ${x.rule}: ${x.reason}`).join('\n')}`,
  );
  lines.push('');
  if (verification.ok) {
    lines.push(
      `OK: ${evidence.steps.length} steps, every entry's inclusion proof verified against the signed checkpoint; the state recomputed from the entries matches`,
    );
  } else {
    lines.push(`FAILED: ${verification.failures.length} problem(s)`, ...verification.failures.map((f) => `  ${f}`));
  }
  return `${lines.join('\n')}\n`;
}

function describeState(s: ChangeState): string[] {
  const out = [
    `status: ${s.status ?? 'unknown'}${s.history.length ? ` (${s.history.map((h) => `${h.status}@${h.sequence}`).join(' → ')})` : ''}`,
  ];
  if (s.repository) out.push(`repository: ${s.repository}${s.team ? ` (team ${s.team})` : ''}`);
  if (s.author) out.push(`author: ${s.author.kind} ${s.author.id}${s.aiGenerated ? ', AI-generated' : ''}`);
  for (const t of s.tasks)
    out.push(
      `task ${t.taskId}: ${t.requestedBy?.id ?? '?'} asked ${t.agent.id}${t.agent.version ? ` ${t.agent.version}` : ''} (paths ${t.scope.paths.join(', ')})`,
    );
  for (const m of s.models)
    out.push(
      `model: ${m.provider}/${m.model} ${m.modelVersion}: ${m.calls} calls, ${m.tokensIn + m.tokensOut} tokens, ${usd(m.costMicros)}`,
    );
  for (const p of s.policies)
    out.push(
      `policy: ${p.policyId} ${p.policyVersion ?? ''} ${p.decision}${p.violatedRules.length ? ` (${p.violatedRules.join(', ')})` : ''}`,
    );
  for (const x of s.scans) out.push(`scan: ${x.kind} by ${x.tool ?? '?'} ${x.passed ? 'passed' : 'FAILED'}`);
  for (const r of s.reviews) out.push(`review: ${r.approver.subject} ${r.decision} at ${r.checkpoint}`);
  if (s.merged) out.push(`merged: ${s.merged.recordedAt} by ${s.merged.mergedBy?.id ?? '?'}`);
  for (const d of s.deployments)
    out.push(`${d.outcome === 'deployed' ? 'deployed' : 'rolled back'}: ${d.environment ?? '?'} at ${d.recordedAt}`);
  return out;
}
