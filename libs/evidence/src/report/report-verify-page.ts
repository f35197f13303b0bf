import { ControlsReport } from '@evidence-ledger/core';
import { MUTED, ReportLayout } from './report-layout';

/** The verifier's program and package, as the auditor installs and runs it. */
export const VERIFY_PACKAGE = '@evidence-ledger/verify';
export const VERIFY_PROGRAM = 'evidence-ledger-verify';

// The last page: how an auditor checks the pack without trusting it or the ledger — the key's
// fingerprint, where to get the key other than from the pack, and the verifier's command.
export function writeHowToVerify(w: ReportLayout, report: ControlsReport, keyId: string): void {
  const s = report.subject;
  w.para(
    `The pack verifies offline, on the auditor's own machine, with the ledger's public key and nothing else: ${VERIFY_PACKAGE} installs alone (no server, database or network), and \`evidence-ledger verify pack.zip\` in the full CLI runs the same checks.`,
  );
  w.subheading('1. Obtain the public key independently of this pack');
  w.para(
    'The pack does not carry the key that verifies it: a key taken from the pack would prove only that the pack is consistent with itself. Obtain it from a source the tenant controls and compare its fingerprint:',
    9.5,
  );
  w.bullets([
    `from the ledger service: GET /v1/public-keys (each key's publicKeyPem and keyId; the keyId is the fingerprint below), origin ${s.checkpoint.origin};`,
    `the key tenant ${s.tenant} publishes itself (its website, security.txt, or a copy handed over at the start of the audit).`,
  ]);
  w.keyValues([['Key fingerprint', `SHA-256 of the key's SubjectPublicKeyInfo (DER), hex:\n${keyId}`]]);
  w.code(`openssl pkey -pubin -in ledger.pem -outform DER | sha256sum   # must print the fingerprint above`, 8);
  w.subheading('2. Run the verifier');
  w.code(
    `npx -p ${VERIFY_PACKAGE} ${VERIFY_PROGRAM} pack pack.zip --public-key ledger.pem\n\n# with the previous pack of the same framework: no fork, no rewrite between them\nnpx -p ${VERIFY_PACKAGE} ${VERIFY_PROGRAM} pack pack.zip --public-key ledger.pem \\\n  --previous previous-pack.zip`,
    8,
  );
  w.keyValues([
    ['Checkpoint', `${s.checkpoint.origin} #${s.checkpoint.treeSize}`],
    ['Root hash', s.checkpoint.rootHash],
  ]);
  w.doc.y += 6;
  w.para('The verifier checks, and exits 0 only if all of it holds:');
  for (const line of [
    '1. manifest.sigstore.json is a Sigstore bundle whose DSSE signature verifies with the key, over an in-toto statement naming manifest.json by its SHA-256.',
    '2. Every file has the SHA-256 the manifest lists.',
    '3. The checkpoint is signed by the key and names the tree the manifest names.',
    '4. Every line of events.jsonl hashes (RFC 6962 leaf hash) to its line in proofs/leaf-hashes.txt, has the expected sequence and tenant, and the leaves lead to the signed root (proofs/range.json).',
    '5. With --previous: the older pack verifies too, and its tree is a prefix of this one (RFC 9162 consistency).',
    "6. Every control test is re-run from events.jsonl and the template in controls.json, and the late evidence and the system description are re-derived from the entries; the result must equal controls.json byte for byte. The archive lock (retention) is the service's statement, which the verifier cannot check from the pack: check it on the archive itself.",
    "7. Every control's Type II sample is re-drawn from the checkpoint root, and every row of every populations/<control>.csv is checked against the population re-evaluated from the events; a difference names the control, or the file, row and column.",
  ])
    w.para(line, 9.5);
  w.para(
    'Any altered byte is reported with the file, and for entries the line and sequence, it was found in. docs/evidence-packs.md describes the format byte by byte for auditors who prefer their own tools.',
    9.5,
    MUTED,
  );
}
