import { FormEvent, useState } from 'react';
import { apiGet, query } from '../app/api';
import { navigate } from '../app/route';
import { loadPublishedKeys } from '../app/published-keys';
import { useAsync } from '../app/use-async';
import { VerdictBadge } from '../app/Verdict';
import { decodeBase64, encodeBase64 } from '../verify/base64';
import { chainLinkHolds, genesisChainHash } from '../verify/chain-link';
import { openCheckpoint } from '../verify/open-checkpoint';
import { leafHash } from '../verify/sha256';
import { Verdict, verifyStep } from '../verify/step-evidence';
import { VerificationFailure } from '../verify/verification-failure';

interface EntryView {
  readonly sequence: number;
  readonly id: string;
  readonly canonical: string;
  readonly leafHash: string;
  readonly chainHash: string;
}

interface ProofView {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly hashes: string[];
  readonly checkpoint: string | null;
}

// One entry, checked three ways in the page: its bytes hash to its leaf hash, its inclusion
// proof leads to a checkpoint signed by the published key, and its chain hash follows from the
// previous entry's.
async function loadEntry(apiKey: string, sequence: number) {
  const [published, entry, proof, previous] = await Promise.all([
    loadPublishedKeys(apiKey),
    apiGet<EntryView>(apiKey, `/v1/entries/${sequence}`),
    apiGet<ProofView>(apiKey, `/v1/proofs/inclusion${query({ sequence })}`),
    sequence === 0 ? Promise.resolve(undefined) : apiGet<EntryView>(apiKey, `/v1/entries/${sequence - 1}`),
  ]);
  const bytes = decodeBase64(entry.canonical, 'the entry bytes');
  const leaf = await leafHash(bytes);
  let inclusion: Verdict;
  try {
    if (proof.checkpoint === null) throw new VerificationFailure('the server sent no checkpoint for the proof');
    const checkpoint = await openCheckpoint(proof.checkpoint, published.keys, published.origin);
    inclusion = await verifyStep(sequence, { canonical: entry.canonical, leafHash: entry.leafHash, proof }, checkpoint);
  } catch (e) {
    if (!(e instanceof VerificationFailure)) throw e;
    inclusion = { verified: false, reason: e.message };
  }
  const previousChain = previous ? decodeBase64(previous.chainHash, 'the previous chain hash') : await genesisChainHash();
  const chained = await chainLinkHolds(previousChain, leaf, decodeBase64(entry.chainHash, 'the chain hash'));
  return {
    entry,
    text: new TextDecoder().decode(bytes),
    computedLeaf: encodeBase64(leaf),
    proof,
    leafMatches: encodeBase64(leaf) === entry.leafHash,
    inclusion,
    chained,
  };
}

export function Entry({ apiKey, sequence }: { apiKey: string; sequence: number | undefined }) {
  const [draft, setDraft] = useState(sequence === undefined ? '' : String(sequence));
  const lookUp = (e: FormEvent) => {
    e.preventDefault();
    if (/^\d+$/.test(draft.trim())) navigate({ page: 'entry', sequence: Number(draft.trim()) });
  };
  return (
    <section aria-labelledby="entry-title">
      <h1 id="entry-title">{sequence === undefined ? 'Look up an entry' : `Entry ${sequence}`}</h1>
      <form className="filters" onSubmit={lookUp} aria-label="Look up an entry">
        <label htmlFor="entry-sequence">Entry sequence</label>
        <input id="entry-sequence" inputMode="numeric" pattern="[0-9]+" value={draft} onChange={(e) => setDraft(e.target.value)} required />
        <button type="submit">Look up</button>
      </form>
      {sequence !== undefined && <EntryDetails apiKey={apiKey} sequence={sequence} />}
    </section>
  );
}

function EntryDetails({ apiKey, sequence }: { apiKey: string; sequence: number }) {
  const loaded = useAsync(() => loadEntry(apiKey, sequence), [apiKey, sequence]);
  if (loaded.state === 'loading') return <p aria-live="polite">Loading and verifying the entry…</p>;
  if (loaded.state === 'failed')
    return (
      <p className="error" role="alert">
        {loaded.error.message}
      </p>
    );
  const { entry, text, computedLeaf, proof, leafMatches, inclusion, chained } = loaded.value;
  return (
    <>
      <dl className="facts">
        <dt>Id</dt>
        <dd className="mono">{entry.id}</dd>
        <dt>Leaf hash</dt>
        <dd>
          <span className="mono">{computedLeaf}</span>{' '}
          <span data-testid="leaf-verdict">
            <VerdictBadge verified={leafMatches} reason={`the server states ${entry.leafHash}`} />
          </span>
        </dd>
        <dt>Inclusion proof</dt>
        <dd data-testid="inclusion-verdict">
          <VerdictBadge verified={inclusion.verified} reason={inclusion.verified ? undefined : inclusion.reason} />
          {` leaf ${proof.leafIndex} of a tree of ${proof.treeSize}, ${proof.hashes.length} hashes`}
        </dd>
        <dt>Chain hash</dt>
        <dd>
          <span className="mono">{entry.chainHash}</span>{' '}
          <span data-testid="chain-verdict">
            <VerdictBadge
              verified={chained}
              reason={`it does not follow from entry ${sequence === 0 ? 'genesis' : sequence - 1}'s chain hash and this leaf`}
            />
          </span>
        </dd>
      </dl>
      <h2>Canonical bytes (RFC 8785 JSON, as hashed)</h2>
      <pre className="mono" data-testid="canonical">
        {text}
      </pre>
      <details>
        <summary>Inclusion proof hashes</summary>
        <ol className="mono">
          {proof.hashes.map((h, i) => (
            <li key={i}>{h}</li>
          ))}
        </ol>
      </details>
    </>
  );
}
