import { bundleToJSON } from '@sigstore/bundle';
import { DSSEBundleBuilder } from '@sigstore/sign';
import { canonicalBytes } from '@evidence-ledger/core';
import { Signer } from '@evidence-ledger/signing';
import {
  IN_TOTO_PAYLOAD_TYPE,
  IN_TOTO_STATEMENT_TYPE,
  PACK_FILES,
  PACK_PREDICATE_TYPE,
  PackStatement,
  spkiSha256,
} from '@evidence-ledger/verify';

// Reading and verifying a pack's bundle lives in @evidence-ledger/verify; signing stays here.
export { openPackBundle, PackStatement, rawPublicKeys, spkiSha256 } from '@evidence-ledger/verify';

export function packStatement(manifestSha256: string, predicate: Record<string, unknown>): PackStatement {
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name: PACK_FILES.manifest, digest: { sha256: manifestSha256 } }],
    predicateType: PACK_PREDICATE_TYPE,
    predicate,
  };
}

// Signs the statement as a Sigstore bundle (v0.3) holding a DSSE envelope, with the ledger's
// Ed25519 key identified by its hint, SHA-256 of the SPKI DER. No transparency log or
// timestamp: the bundle verifies offline against the public key. Ed25519 is deterministic,
// so the same statement gives the same bundle bytes.
export async function signPackStatement(statement: PackStatement, signer: Signer): Promise<Buffer> {
  const hint = spkiSha256(signer.publicKey);
  const builder = new DSSEBundleBuilder({
    signer: {
      sign: async (data: Buffer) => ({
        signature: Buffer.from(await signer.sign(data)),
        key: { $case: 'publicKey' as const, publicKey: signer.publicKeyPem(), hint },
      }),
    },
    witnesses: [],
  });
  const bundle = await builder.create({ data: canonicalBytes(statement), type: IN_TOTO_PAYLOAD_TYPE });
  return canonicalBytes(bundleToJSON(bundle));
}
