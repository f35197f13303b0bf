import { AsOf, ChangeState, clockOf, formatAsOf } from '@evidence-ledger/core';
import { ChangeEvidence } from './change-evidence';
import { ChangeVerification } from './change-verifier';

const usd = (micros: number) => `$${(micros / 1e6).toFixed(4)}`;

/** How the point was given: whether a bare time was read on the recorded clock by default. */
export interface TimelineOptions {
  readonly clockDefaulted?: boolean;
}

// The timeline as an investigator reads it in a terminal: one line per step with its
// verification mark and both clocks, then the derived state, the exceptions, and the verdict
// — OK only when a signed checkpoint verified and every step it shows was proven to it.
export function formatTimeline(evidence: ChangeEvidence, verification: ChangeVerification, options: TimelineOptions = {}): string {
  const lines: string[] = [];
  lines.push(`change ${evidence.changeId}  (as of ${describePoint(evidence.asOf, options)})`);
  const c = verification.checkpoint;
  lines.push(c ? `checkpoint ${c.origin}, tree size ${c.treeSize}: signature verified` : 'checkpoint: NOT verified');
  lines.push(
    "clocks: occurred = the producer's `time` (when it says it happened; not proven); recorded = the ledger's `recordedAt` (when it was committed; proven by the log)",
  );
  lines.push('');
  const checks = new Map(verification.steps.map((s) => [s.sequence, s]));
  const occurred = (step: { time?: string }) => step.time ?? 'not sent';
  const width = Math.max(4, ...evidence.steps.map((s) => String(s.sequence).length + 1));
  const timeWidth = Math.max(0, ...evidence.steps.map((s) => occurred(checks.get(s.sequence) ?? s).length));
  for (const step of evidence.steps) {
    const check = checks.get(step.sequence);
    const clocks = check ?? step;
    const mark = check?.ok ? '✓' : '✗';
    const who = step.actor ? `${step.actor.id}` : '';
    lines.push(
      `${mark} ${`#${step.sequence}`.padEnd(width)} occurred ${occurred(clocks).padEnd(timeWidth)}  recorded ${clocks.recordedAt}  ${(step.status ?? '').padEnd(11)} ${step.type.padEnd(27)} ${step.summary}${who && !step.summary.includes(who) ? `  [${who}]` : ''}`,
    );
    if (check && !check.ok) lines.push(`    ✗ ${check.problem}`);
  }
  if (evidence.steps.length === 0) lines.push('(no step)');
  const state = verification.state ?? evidence.state;
  lines.push(
    '',
    ...(evidence.steps.length === 0 ? ['state: none — no entry of the change lies at or before the point'] : describeState(state)),
  );
  lines.push(
    evidence.exceptions.length === 0
      ? 'exceptions: none'
      : `exceptions (${evidence.exceptions.length}):\n${evidence.exceptions.map((x) => `  ! #${x.sequence} (occurred ${x.time ?? 'not sent'}, recorded ${x.recordedAt}) ${x.rule}: ${x.reason}`).join('\n')}`,
  );
  lines.push('');
  if (verification.outcome === 'verified') {
    lines.push(
      `OK: ${evidence.steps.length} ${evidence.steps.length === 1 ? 'step' : 'steps'}, every entry's inclusion proof verified against the signed checkpoint; the state recomputed from the entries matches`,
    );
  } else if (verification.outcome === 'empty') {
    lines.push(
      `NOT VERIFIED: nothing to show — ${verification.failures[0].replace(/^steps: none: /, '')}. An inclusion proof shows an entry is in the log, never that one is absent; pick a later point.`,
    );
  } else {
    lines.push(`FAILED: ${verification.failures.length} problem(s)`, ...verification.failures.map((f) => `  ${f}`));
  }
  return `${lines.join('\n')}\n`;
}

// The point in words, with the clock it is on spelled out.
function describePoint(asOf: AsOf | undefined, options: TimelineOptions): string {
  if (asOf === undefined) return 'now';
  if ('sequence' in asOf) return `sequence ${asOf.sequence}: every entry up to and including it`;
  if (clockOf(asOf) === 'occurred')
    return `${formatAsOf(asOf)}: every entry whose producer's time is at or before it — producers' clocks, not proven by the log`;
  const defaulted = options.clockDefaulted ? '; a time without recorded: or occurred: is read on the recorded clock' : '';
  return `${formatAsOf(asOf)}: every entry the ledger recorded at or before it — the clock the log proves${defaulted}`;
}

function describeState(s: ChangeState): string[] {
  // An entry the state refers to, by sequence, with both its clocks.
  const at = (e: { sequence: number; recordedAt: string; time?: string }) =>
    `#${e.sequence} (occurred ${e.time ?? 'not sent'}, recorded ${e.recordedAt})`;
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
  if (s.merged) out.push(`merged: ${at(s.merged)} by ${s.merged.mergedBy?.id ?? '?'}`);
  for (const d of s.deployments) out.push(`${d.outcome === 'deployed' ? 'deployed' : 'rolled back'}: ${d.environment ?? '?'} at ${at(d)}`);
  return out;
}
