import { keyFingerprint, parseVerifierKey, VerifierKey } from '../verify/verifier-key';
import { apiGet } from './api';

/** A checkpoint key the ledger publishes, its fingerprint computed in the browser. */
export interface PublishedKey extends VerifierKey {
  readonly verifierKey: string;
  readonly fingerprint: string;
  readonly status: 'active' | 'retired';
  /** The fingerprint the server states; the console shows a mismatch rather than trust it. */
  readonly statedFingerprint: string;
}

export interface PublishedKeys {
  readonly origin: string;
  readonly keys: readonly PublishedKey[];
}

export async function loadPublishedKeys(apiKey: string): Promise<PublishedKeys> {
  const body = await apiGet<{ origin: string; keys: { keyId: string; verifierKey: string; status: 'active' | 'retired' }[] }>(
    apiKey,
    '/v1/public-keys',
  );
  const keys = await Promise.all(
    body.keys.map(async (k) => {
      const parsed = await parseVerifierKey(k.verifierKey);
      return {
        ...parsed,
        verifierKey: k.verifierKey,
        status: k.status,
        statedFingerprint: k.keyId,
        fingerprint: await keyFingerprint(parsed.publicKey),
      };
    }),
  );
  return { origin: body.origin, keys };
}
