import { FormEvent, useEffect, useState } from 'react';
import { apiBytes, apiGet, apiPost } from '../app/api';
import { saveFile } from '../app/save-file';
import { toHex } from '../verify/bytes';
import { sha256 } from '../verify/sha256';

interface Pack {
  readonly id: string;
  readonly framework: string;
  readonly from: string;
  readonly to: string;
  readonly scope: { readonly repositories: readonly string[] };
  readonly status: 'queued' | 'building' | 'ready' | 'failed';
  readonly progress: number;
  readonly createdAt: string;
  readonly summary?: {
    readonly satisfied: number;
    readonly notSatisfied: number;
    readonly notTested: number;
    readonly notApplicable: number;
    readonly exceptions: number;
  };
  readonly sha256?: string;
  readonly error?: string;
}

const FRAMEWORKS = [
  ['soc2', 'SOC 2'],
  ['iso27001', 'ISO/IEC 27001'],
  ['hipaa', 'HIPAA'],
  ['eu-ai-act', 'EU AI Act'],
] as const;

const DAY = 86_400_000;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// A period is whole UTC days: from the start of "From" to the end of "To", or now if that is
// earlier (the API refuses a period that is not over).
function periodOf(from: string, to: string): { from: string; to: string } {
  const end = Math.min(Date.parse(`${to}T00:00:00Z`) + DAY, Date.now() - 1000);
  return { from: `${from}T00:00:00Z`, to: new Date(end).toISOString() };
}

export function EvidencePacks({ apiKey }: { apiKey: string }) {
  const [packs, setPacks] = useState<readonly Pack[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [framework, setFramework] = useState('soc2');
  const [from, setFrom] = useState(dateOf(Date.now() - 90 * DAY));
  const [to, setTo] = useState(dateOf(Date.now()));
  const [repositories, setRepositories] = useState('');
  const [downloaded, setDownloaded] = useState<Record<string, string>>({});

  const refresh = () =>
    apiGet<{ packs: Pack[] }>(apiKey, '/v1/evidence-packs?limit=100').then(
      (body) => setPacks(body.packs),
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    void refresh();
  }, [apiKey]);
  // Progress: while a pack is queued or building, ask again every second.
  const pending = packs?.some((p) => p.status === 'queued' || p.status === 'building') ?? false;
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => void refresh(), 1000);
    return () => clearInterval(timer);
  }, [pending, apiKey]);

  const order = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const repos = repositories
      .split(/[\s,]+/)
      .map((r) => r.trim())
      .filter(Boolean);
    try {
      await apiPost(apiKey, '/v1/evidence-packs', {
        framework,
        ...periodOf(from, to),
        ...(repos.length ? { scope: { repositories: repos } } : {}),
      });
      await refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const download = async (pack: Pack) => {
    try {
      const bytes = await apiBytes(apiKey, `/v1/evidence-packs/${pack.id}/download`);
      const digest = toHex(await sha256(bytes));
      setDownloaded({ ...downloaded, [pack.id]: digest });
      saveFile(bytes, `evidence-pack-${pack.framework}-${pack.id}.zip`, 'application/zip');
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section aria-labelledby="packs-title">
      <h1 id="packs-title">Evidence packs</h1>
      <h2>Order a pack</h2>
      <form className="filters" onSubmit={order} aria-label="Order an evidence pack">
        <label htmlFor="pack-framework">Framework</label>
        <select id="pack-framework" value={framework} onChange={(e) => setFramework(e.target.value)}>
          {FRAMEWORKS.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
        <label htmlFor="pack-from">From</label>
        <input id="pack-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
        <label htmlFor="pack-to">To</label>
        <input id="pack-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
        <label htmlFor="pack-repositories">Repositories (optional)</label>
        <input id="pack-repositories" value={repositories} onChange={(e) => setRepositories(e.target.value)} placeholder="all" />
        <button type="submit">Order pack</button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <h2>Packs</h2>
      {packs === undefined && !error && <p aria-live="polite">Loading packs…</p>}
      {packs?.length === 0 && <p>No pack has been ordered yet.</p>}
      {packs && packs.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Framework</th>
              <th scope="col">Period</th>
              <th scope="col">Scope</th>
              <th scope="col">Status</th>
              <th scope="col">Controls</th>
              <th scope="col">Pack</th>
            </tr>
          </thead>
          <tbody>
            {packs.map((pack) => (
              <tr key={pack.id} data-testid="pack">
                <td>{pack.framework}</td>
                <td>
                  {pack.from.slice(0, 10)} – {pack.to.slice(0, 19)}Z
                </td>
                <td>{pack.scope.repositories.length ? pack.scope.repositories.join(', ') : 'all repositories'}</td>
                <td data-testid="pack-status">
                  {pack.status}
                  {(pack.status === 'queued' || pack.status === 'building') && (
                    <progress max={100} value={pack.progress} aria-label={`pack ${pack.id} progress`} />
                  )}
                  {pack.status === 'failed' && pack.error && <div className="error">{pack.error}</div>}
                </td>
                <td>
                  {pack.summary
                    ? `${pack.summary.satisfied} satisfied, ${pack.summary.notSatisfied} not satisfied, ${pack.summary.notTested} not tested, ${pack.summary.notApplicable} n/a; ${pack.summary.exceptions} exceptions`
                    : '—'}
                </td>
                <td>
                  {pack.status === 'ready' && (
                    <button type="button" onClick={() => void download(pack)} aria-label={`Download the ${pack.framework} pack ${pack.id}`}>
                      Download
                    </button>
                  )}
                  {downloaded[pack.id] && (
                    <div className="mono" data-testid="pack-digest">
                      SHA-256 {downloaded[pack.id]}
                      {pack.sha256 && downloaded[pack.id] !== pack.sha256 ? ' — differs from the pack record' : ''}
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint">
        A pack verifies offline with <code>npx evidence-ledger-verify pack &lt;file&gt; --public-key &lt;key&gt;</code>; verifying a pack in
        this page is not built yet.
      </p>
    </section>
  );
}
