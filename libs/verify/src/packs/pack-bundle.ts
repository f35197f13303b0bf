import { createHash, createPublicKey } from 'node:crypto';
import { bundleFromJSON, SerializedBundle } from '@sigstore/bundle';
import { PublicKeyDetails } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { decodeBase64, ed25519SpkiDer } from '@evidence-ledger/core';
import { IN_TOTO_PAYLOAD_TYPE, IN_TOTO_STATEMENT_TYPE, PACK_PREDICATE_TYPE } from './pack-format';

/** The in-toto v1 statement the pack's DSSE envelope signs: manifest.json, by digest. */
export interface PackStatement {
  readonly _type: typeof IN_TOTO_STATEMENT_TYPE;
  readonly subject: readonly [{ readonly name: string; readonly digest: { readonly sha256: string } }];
  readonly predicateType: typeof PACK_PREDICATE_TYPE;
  readonly predicate: Readonly<Record<string, unknown>>;
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
    // <name>+<key ID>+<base64 key>: the key's base64 may itself hold a '+'.
    const vkey = line.trim();
    const first = vkey.indexOf('+');
    const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
    if (second < 0 || vkey.includes('-----')) continue;
    const typed = decodeBase64(vkey.slice(second + 1));
    if (typed?.length === 33 && typed[0] === 0x01) keys.push(new Uint8Array(typed.subarray(1)));
  }
  return keys;
}
