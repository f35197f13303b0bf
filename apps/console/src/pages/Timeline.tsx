import { FormEvent, useState } from 'react';
import { apiGet, query } from '../app/api';
import { Link } from '../app/Link';
import { loadPublishedKeys } from '../app/published-keys';
import { useAsync } from '../app/use-async';
import { VerdictBadge } from '../app/Verdict';
import { openCheckpoint, VerifiedCheckpoint } from '../verify/open-checkpoint';
import { StepEvidence, Verdict, verifyStep } from '../verify/step-evidence';
import { VerificationFailure } from '../verify/verification-failure';

interface Step {
  readonly sequence: number;
  readonly eventId: string;
  readonly type: string;
  readonly source: string;
  readonly status?: string;
  readonly summary: string;
  readonly actor?: { readonly id: string; readonly kind: string };
  readonly time: string;
  readonly recordedAt: string;
  readonly evidence?: StepEvidence;
}

interface TimelineView {
  readonly changeId: string;
  readonly state: { readonly status: string; readonly repository: string; readonly team?: string };
  readonly exceptions: readonly { readonly rule: string; readonly title: string; readonly sequence: number }[];
  readonly steps: readonly Step[];
  readonly checkpoint: string | null;
  readonly next?: number | null;
  readonly asOf?: { readonly sequence?: number; readonly time?: string; readonly recordedAt?: string };
}

// The timeline as the server sends it, then checked here: the checkpoint's signature against
// the published key, and every step's entry bytes and inclusion proof against that checkpoint.
// A replay (`asOf` given) has the same shape: the state as of that point and exactly the steps
// up to it, each checked the same way.
async function loadTimeline(apiKey: string, changeId: string, asOf: string | undefined) {
  const base = `/v1/changes/${encodeURIComponent(changeId)}`;
  const [published, view] = await Promise.all([
    loadPublishedKeys(apiKey),
    apiGet<TimelineView>(
      apiKey,
      asOf === undefined ? `${base}/timeline${query({ proofs: true })}` : `${base}/replay${query({ asOf, proofs: true })}`,
    ),
  ]);
  let checkpoint: VerifiedCheckpoint | undefined;
  let checkpointFailure: string | undefined;
  try {
    if (view.checkpoint === null) throw new VerificationFailure('the server sent no checkpoint');
    checkpoint = await openCheckpoint(view.checkpoint, published.keys, published.origin);
  } catch (e) {
    if (!(e instanceof VerificationFailure)) throw e;
    checkpointFailure = e.message;
  }
  const verdicts: Verdict[] = await Promise.all(
    view.steps.map((step) => {
      if (!checkpoint) return { verified: false, reason: `the checkpoint did not verify (${checkpointFailure})` } as const;
      if (!step.evidence) return { verified: false, reason: 'the server sent no proof for this step' } as const;
      return verifyStep(step.sequence, step.evidence, checkpoint);
    }),
  );
  return { view, checkpoint, checkpointFailure, verdicts };
}

export function Timeline({ apiKey, changeId }: { apiKey: string; changeId: string }) {
  const [asOf, setAsOf] = useState<string | undefined>();
  const [draft, setDraft] = useState('');
  const loaded = useAsync(() => loadTimeline(apiKey, changeId, asOf), [apiKey, changeId, asOf]);
  const replay = (e: FormEvent) => {
    e.preventDefault();
    setAsOf(draft.trim() || undefined);
  };
  return (
    <section aria-labelledby="timeline-title">
      <p>
        <Link to={{ page: 'changes' }}>← All changes</Link>
      </p>
      <h1 id="timeline-title">Change {changeId}</h1>
      <form className="filters" onSubmit={replay} aria-label="Replay the change as of a point">
        <label htmlFor="replay-as-of">Replay as of (entry sequence or RFC 3339 time)</label>
        <input id="replay-as-of" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="e.g. 16 or 2026-10-01T09:00:00Z" />
        <button type="submit">Replay</button>
        {asOf !== undefined && (
          <button
            type="button"
            onClick={() => {
              setDraft('');
              setAsOf(undefined);
            }}
          >
            Whole timeline
          </button>
        )}
      </form>
      {asOf !== undefined && (
        <p className="replaying" data-testid="replaying">
          Replayed as of {asOf}: the state and exactly the steps up to that point.
        </p>
      )}
      {loaded.state === 'loading' && <p aria-live="polite">Loading and verifying the timeline…</p>}
      {loaded.state === 'failed' && (
        <p className="error" role="alert">
          {loaded.error.message}
        </p>
      )}
      {loaded.state === 'done' && <TimelineBody {...loaded.value} />}
    </section>
  );
}

function TimelineBody({ view, checkpoint, checkpointFailure, verdicts }: Awaited<ReturnType<typeof loadTimeline>>) {
  const failed = verdicts.filter((v) => !v.verified).length;
  return (
    <>
      <dl className="facts">
        <dt>Repository</dt>
        <dd>{view.state.repository}</dd>
        <dt>Team</dt>
        <dd>{view.state.team ?? '—'}</dd>
        <dt>Status</dt>
        <dd>{view.state.status}</dd>
        <dt>Checkpoint</dt>
        <dd>
          <VerdictBadge verified={checkpoint !== undefined} reason={checkpointFailure} />
          {checkpoint && ` tree size ${checkpoint.treeSize}, signed by ${checkpoint.signedBy.name}`}
        </dd>
        <dt>Steps</dt>
        <dd data-testid="step-summary" className={failed > 0 ? 'verdict-bad' : undefined}>
          {verdicts.length === 0
            ? 'no steps: nothing to verify'
            : failed === 0
              ? `all ${verdicts.length} verified in this browser`
              : `${failed} of ${verdicts.length} NOT verified`}
        </dd>
      </dl>
      {view.exceptions.length > 0 && (
        <>
          <h2>Control exceptions</h2>
          <ul>
            {view.exceptions.map((x) => (
              <li key={`${x.rule}-${x.sequence}`}>
                <strong>{x.title}</strong> ({x.rule}, entry {x.sequence})
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>Timeline</h2>
      <table className="timeline">
        <thead>
          <tr>
            <th scope="col">Entry</th>
            <th scope="col">Event time (producer's clock)</th>
            <th scope="col">Recorded (ledger's clock)</th>
            <th scope="col">Event</th>
            <th scope="col">Inclusion proof</th>
          </tr>
        </thead>
        <tbody>
          {view.steps.map((step, i) => (
            <tr key={step.sequence} data-testid="step">
              <td>{step.sequence}</td>
              <td>
                <time dateTime={step.time}>{step.time}</time>
              </td>
              <td>
                <time dateTime={step.recordedAt}>{step.recordedAt}</time>
              </td>
              <td>
                <div className="mono">{step.type}</div>
                <div>{step.summary}</div>
              </td>
              <td data-testid="step-verdict">
                <VerdictBadge verified={verdicts[i].verified} reason={verdicts[i].verified ? undefined : verdicts[i].reason} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {view.next != null && <p>This change has more steps than one page holds; the following pages are not shown yet.</p>}
    </>
  );
}
