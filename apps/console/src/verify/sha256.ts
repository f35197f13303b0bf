import { concatBytes } from './bytes';

// WebCrypto SHA-256: the browser's own implementation, nothing from the server.
export async function sha256(...parts: readonly Uint8Array[]): Promise<Uint8Array> {
  const data = concatBytes(...parts);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
}

// RFC 9162 §2.1.1: a leaf is hashed as SHA-256(0x00 ‖ entry bytes) ...
export function leafHash(entryBytes: Uint8Array): Promise<Uint8Array> {
  return sha256(Uint8Array.of(0x00), entryBytes);
}

// ... and an interior node as SHA-256(0x01 ‖ left ‖ right), so a leaf never passes for a node.
export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(Uint8Array.of(0x01), left, right);
}
