import { apiGet } from '../app/api';
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
  const [published, note, status] = await Promise.all([
    loadPublishedKeys(apiKey),
    apiGet<string>(apiKey, '/v1/checkpoint', 'text'),
    apiGet<{ forensics: ForensicsStatus[] }>(apiKey, '/v1/forensics/status'),
  ]);
  try {
    const checkpoint = await openCheckpoint(note, published.keys, published.origin);
    return { published, note, status: status.forensics, checkpoint, failure: undefined };
  } catch (e) {
    if (!(e instanceof VerificationFailure)) throw e;
    return { published, note, status: status.forensics, checkpoint: undefined, failure: e.message };
  }
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
  const { published, note, status, checkpoint, failure } = loaded.value;
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
