import { createHash, createPublicKey } from 'node:crypto';
import { bundleFromJSON, bundleToJSON, SerializedBundle } from '@sigstore/bundle';
import { PublicKeyDetails } from '@sigstore/protobuf-specs';
import { DSSEBundleBuilder } from '@sigstore/sign';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { canonicalBytes, ed25519SpkiDer } from '@evidence-ledger/core';
import { Signer } from '@evidence-ledger/signing';
import { IN_TOTO_PAYLOAD_TYPE, IN_TOTO_STATEMENT_TYPE, PACK_FILES, PACK_PREDICATE_TYPE } from './pack-format';

/** The in-toto v1 statement the pack's DSSE envelope signs: manifest.json, by digest. */
export interface PackStatement {
  readonly _type: typeof IN_TOTO_STATEMENT_TYPE;
  readonly subject: readonly [{ readonly name: string; readonly digest: { readonly sha256: string } }];
  readonly predicateType: typeof PACK_PREDICATE_TYPE;
  readonly predicate: Readonly<Record<string, unknown>>;
}

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

/** The statement a bundle signs, once its signature verifies with one of `publicKeys` (raw Ed25519). */
export function openPackBundle(bundleBytes: Uint8Array, publicKeys: readonly Uint8Array[]): PackStatement {
  const json = JSON.parse(Buffer.from(bundleBytes).toString('utf8')) as SerializedBundle;
  const bundle = bundleFromJSON(json);
  const keys = Object.fromEntries(
    publicKeys.map((raw) => [
      spkiSha256(raw),
      { rawBytes: Buffer.from(ed25519SpkiDer(raw)), keyDetails: PublicKeyDetails.PKIX_ED25519, validFor: { start: new Date(0) } },
    ]),
  );
  const emptyRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [],
  };
  const verifier = new Verifier(toTrustMaterial(emptyRoot, keys), { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
  verifier.verify(toSignedEntity(bundle));
  if (bundle.content.$case !== 'dsseEnvelope') throw new Error('the bundle holds no DSSE envelope');
  const envelope = bundle.content.dsseEnvelope;
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    throw new Error(`the DSSE payload type is ${envelope.payloadType}, not ${IN_TOTO_PAYLOAD_TYPE}`);
  return JSON.parse(Buffer.from(envelope.payload).toString('utf8')) as PackStatement;
}

/** Hex SHA-256 of a raw Ed25519 key's SPKI DER: the key id packs and Sigstore hints use. */
export function spkiSha256(rawPublicKey: Uint8Array): string {
  return createHash('sha256').update(ed25519SpkiDer(rawPublicKey)).digest('hex');
}

/** Raw Ed25519 public keys in a key file: PEM blocks and note verifier key lines. */
export function rawPublicKeys(text: string): Uint8Array[] {
  const keys: Uint8Array[] = [];
  for (const pem of text.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? []) {
    const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
    keys.push(new Uint8Array(der.subarray(der.length - 32)));
  }
  for (const line of text.split('\n')) {
    const parts = line.trim().split('+');
    if (parts.length !== 3 || line.includes('-----')) continue;
    const typed = Buffer.from(parts[2], 'base64');
    if (typed.length === 33 && typed[0] === 0x01) keys.push(new Uint8Array(typed.subarray(1)));
  }
  return keys;
}
