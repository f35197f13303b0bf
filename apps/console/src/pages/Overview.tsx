import { apiGet, query } from '../app/api';
import { Link } from '../app/Link';
import { loadPublishedKeys } from '../app/published-keys';
import { useAsync } from '../app/use-async';
import { VerdictBadge } from '../app/Verdict';
import { encodeBase64 } from '../verify/base64';
import { openCheckpoint } from '../verify/open-checkpoint';
import { VerificationFailure } from '../verify/verification-failure';

interface ForensicsStatus {
  readonly name: string;
  readonly position: number;
  readonly treeSize: number;
  readonly lag: number;
}

// The latest checkpoint, its signature checked here against the published key, and how far
// the forensics tables (what the other pages read) are behind the log.
async function loadOverview(apiKey: string) {
  const [published, note, status, exceptions] = await Promise.all([
    loadPublishedKeys(apiKey),
    apiGet<string>(apiKey, '/v1/checkpoint', 'text'),
    apiGet<{ forensics: ForensicsStatus[] }>(apiKey, '/v1/forensics/status'),
    exceptionsByRule(apiKey),
  ]);
  const common = { published, note, status: status.forensics, exceptions };
  try {
    return { ...common, checkpoint: await openCheckpoint(note, published.keys, published.origin), failure: undefined };
  } catch (e) {
    if (!(e instanceof VerificationFailure)) throw e;
    return { ...common, checkpoint: undefined, failure: e.message };
  }
}

const EXCEPTION_PAGES = 5;

// Control exceptions counted by rule from at most five pages of 1,000: a large log is never
// downloaded whole; past that the counts say "at least".
async function exceptionsByRule(apiKey: string): Promise<{ counts: [string, number][]; complete: boolean }> {
  const counts = new Map<string, number>();
  let after: number | undefined;
  for (let page = 0; page < EXCEPTION_PAGES; page++) {
    const body = await apiGet<{ exceptions: { rule: string }[]; next: number | null }>(
      apiKey,
      `/v1/exceptions${query({ limit: 1000, after })}`,
    );
    for (const x of body.exceptions) counts.set(x.rule, (counts.get(x.rule) ?? 0) + 1);
    if (body.next === null) return { counts: [...counts].sort(([a], [b]) => a.localeCompare(b)), complete: true };
    after = body.next;
  }
  return { counts: [...counts].sort(([a], [b]) => a.localeCompare(b)), complete: false };
}

export function Overview({ apiKey }: { apiKey: string }) {
  const loaded = useAsync(() => loadOverview(apiKey), [apiKey]);
  if (loaded.state === 'loading') return <p aria-live="polite">Loading the latest checkpoint…</p>;
  if (loaded.state === 'failed')
    return (
      <p className="error" role="alert">
        {loaded.error.message}
      </p>
    );
  const { published, note, status, checkpoint, failure, exceptions } = loaded.value;
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <h2>Latest signed checkpoint</h2>
      <p>
        Signature: <VerdictBadge verified={checkpoint !== undefined} reason={failure} />
      </p>
      {checkpoint && (
        <dl className="facts">
          <dt>Log</dt>
          <dd>{checkpoint.origin}</dd>
          <dt>Entries (tree size)</dt>
          <dd data-testid="tree-size">{checkpoint.treeSize}</dd>
          <dt>Root hash</dt>
          <dd className="mono">{encodeBase64(checkpoint.rootHash)}</dd>
          <dt>Signed by</dt>
          <dd className="mono">{checkpoint.signedBy.name}</dd>
        </dl>
      )}
      <details>
        <summary>The signed note as received</summary>
        <pre className="mono">{note}</pre>
      </details>
      <h2>Checkpoint keys</h2>
      <p>Compare the fingerprint with the one your ledger operator gave you out of band: the page trusts the key it is given.</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Verifier key</th>
            <th scope="col">Fingerprint (SHA-256 of the public key, computed here)</th>
          </tr>
        </thead>
        <tbody>
          {published.keys.map((key) => (
            <tr key={key.verifierKey}>
              <td>{key.status}</td>
              <td className="mono">{key.verifierKey}</td>
              <td className="mono" data-testid="fingerprint">
                {key.fingerprint}
                {key.fingerprint !== key.statedFingerprint && (
                  <VerdictBadge verified={false} reason={`the server states ${key.statedFingerprint}`} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Control exceptions by rule</h2>
      {exceptions.counts.length === 0 ? (
        <p>No control exception.</p>
      ) : (
        <table data-testid="exceptions-by-rule">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Exceptions</th>
            </tr>
          </thead>
          <tbody>
            {exceptions.counts.map(([rule, count]) => (
              <tr key={rule}>
                <td>
                  <code>{rule}</code>
                </td>
                <td>{exceptions.complete ? count : `at least ${count}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <Link to={{ page: 'exceptions' }}>Every exception, as it happened</Link>
      </p>
      <h2>Forensics tables</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Tables</th>
            <th scope="col">Through entry</th>
            <th scope="col">Log size</th>
            <th scope="col">Lag (entries)</th>
          </tr>
        </thead>
        <tbody>
          {status.map((s) => (
            <tr key={s.name}>
              <td>{s.name}</td>
              <td>{s.position}</td>
              <td>{s.treeSize}</td>
              <td data-testid="lag">{s.lag}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
