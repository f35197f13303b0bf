import {
  buildInclusionProof,
  chainHash,
  decodeBase64 as coreDecodeBase64,
  GENESIS_CHAIN_HASH,
  ed25519SpkiDer,
  formatVerifierKey,
  signCheckpoint,
} from '@evidence-ledger/core';
import { createHash } from 'node:crypto';
import { appendedTree } from '../../../../libs/core/src/merkle/testing/node-map';
import { generateTestKey, GO_VECTORS } from '../../../../libs/core/src/note/testing/note-test-keys';
import { decodeBase64, encodeBase64 } from './base64';
import { chainLinkHolds, genesisChainHash } from './chain-link';
import { openCheckpoint } from './open-checkpoint';
import { rootFromInclusionProof } from './inclusion-proof';
import { leafHash } from './sha256';
import { verifyStep } from './step-evidence';
import { keyFingerprint, parseVerifierKey } from './verifier-key';

// The console's checks are a second implementation of core's: each is held to core's output.
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const key = generateTestKey('ledger.test');
const vkey = formatVerifierKey('ledger.test', key.publicKey);

async function signedTree(size: number) {
  const leaves = Array.from({ length: size }, (_, i) => Buffer.from(`{"sequence":${i}}`));
  const tree = appendedTree(leaves);
  const note = await signCheckpoint({ origin: 'ledger.test/default', treeSize: size, rootHash: tree.range.root(), extensions: [] }, [
    key.signer,
  ]);
  return { leaves, tree, note };
}

describe('the console verifies in the browser what core signs and proves', () => {
  it('decodes base64 exactly when core does', () => {
    const texts = ['', 'AA==', 'AAE=', 'AAEC', 'AB==', 'AAF=', 'A===', 'AA', 'AA=A', 'YWJj\n', '-_8=', '+/8=', 'YWJjZA==', ' YWJj'];
    for (const text of texts) {
      const core = coreDecodeBase64(text);
      if (core === undefined) expect(() => decodeBase64(text, 'it')).toThrow('base64');
      else expect(b64(decodeBase64(text, 'it'))).toBe(b64(core));
    }
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n) & 0xff);
      expect(encodeBase64(bytes)).toBe(b64(bytes));
    }
  });

  it('reads a verifier key as core writes it, and the Go reference vector', async () => {
    const parsed = await parseVerifierKey(vkey);
    expect(parsed).toEqual({ name: 'ledger.test', keyHash: key.signer.keyHash, publicKey: Uint8Array.from(key.publicKey) });
    expect((await parseVerifierKey(GO_VECTORS.peterVerifierKey)).keyHash).toBe(0xc74f20a3);
    await expect(parseVerifierKey(vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).rejects.toThrow('key ID does not match');
  });

  it('computes the key fingerprint the service lists as keyId', async () => {
    const expected = createHash('sha256').update(ed25519SpkiDer(key.publicKey)).digest('hex');
    expect(await keyFingerprint(key.publicKey)).toBe(expected);
  });

  it('opens a checkpoint core signed, and refuses one altered, forged or for another log', async () => {
    const { note, tree } = await signedTree(7);
    const trusted = [await parseVerifierKey(vkey)];
    const opened = await openCheckpoint(note, trusted, 'ledger.test/default');
    expect(opened.treeSize).toBe(7);
    expect(b64(opened.rootHash)).toBe(b64(tree.range.root()));
    await expect(openCheckpoint(note.replace('\n7\n', '\n8\n'), trusted)).rejects.toThrow('altered or forged');
    const other = await parseVerifierKey(formatVerifierKey('ledger.test', generateTestKey('ledger.test').publicKey));
    await expect(openCheckpoint(note, [other])).rejects.toThrow('not signed by any key the ledger publishes');
    await expect(openCheckpoint(note, trusted, 'ledger.test/acme')).rejects.toThrow('not this tenant');
  });

  it('recomputes every root core proves, for every leaf of trees of 1 to 33 leaves', async () => {
    for (let size = 1; size <= 33; size++) {
      const { leaves, tree } = await signedTree(size);
      for (let i = 0; i < size; i++) {
        const proof = buildInclusionProof(i, size, tree.nodes);
        const root = await rootFromInclusionProof(proof, await leafHash(leaves[i]));
        expect(b64(root)).toBe(b64(tree.range.root()));
      }
    }
  });

  it('says Verified for a step whose proof holds, and why not when one byte differs', async () => {
    const { leaves, tree, note } = await signedTree(12);
    const checkpoint = await openCheckpoint(note, [await parseVerifierKey(vkey)]);
    const proof = buildInclusionProof(5, 12, tree.nodes);
    const evidence = {
      canonical: b64(leaves[5]),
      leafHash: b64(await leafHash(leaves[5])),
      proof: { leafIndex: 5, treeSize: 12, hashes: proof.hashes.map(b64) },
    };
    expect(await verifyStep(5, evidence, checkpoint)).toEqual({ verified: true });
    const flipped = Buffer.from(proof.hashes[1]);
    flipped[0] ^= 1;
    const forged = { ...evidence, proof: { ...evidence.proof, hashes: evidence.proof.hashes.map((h, i) => (i === 1 ? b64(flipped) : h)) } };
    expect(await verifyStep(5, forged, checkpoint)).toEqual({
      verified: false,
      reason: expect.stringContaining('does not lead to the signed root'),
    });
    const altered = Buffer.from(leaves[5]);
    altered[2] ^= 1;
    expect(await verifyStep(5, { ...evidence, canonical: b64(altered) }, checkpoint)).toEqual({
      verified: false,
      reason: expect.stringContaining('do not hash to the leaf hash'),
    });
    expect(await verifyStep(6, evidence, checkpoint)).toEqual({ verified: false, reason: 'the proof is for leaf 5, not sequence 6' });
  });

  it('follows the hash chain as core links it, from the genesis hash', async () => {
    expect(b64(await genesisChainHash())).toBe(b64(GENESIS_CHAIN_HASH));
    const leaves = await Promise.all([0, 1, 2].map((i) => leafHash(Buffer.from(`entry ${i}`))));
    let previous: Uint8Array = GENESIS_CHAIN_HASH;
    for (const leaf of leaves) {
      const link = chainHash(previous, leaf);
      expect(await chainLinkHolds(previous, leaf, link)).toBe(true);
      expect(await chainLinkHolds(leaf, previous, link)).toBe(false);
      previous = link;
    }
  });
});
