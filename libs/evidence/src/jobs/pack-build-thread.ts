import { MessagePort, Worker } from 'node:worker_threads';
import { ControlsReport, EvidenceTemplate, LedgerError, PackRetention } from '@evidence-ledger/core';
import { Signer } from '@evidence-ledger/signing';
import { openStore } from '@evidence-ledger/store';
import { INLINE_PREPARER, Ledger } from '@evidence-ledger/ledger';
import { buildEvidencePack, PackRequest } from '../pack/pack-builder';
import { PackCheckpointRef } from '@evidence-ledger/verify';

/** What a build thread needs: where the log is, and what to build against. */
export interface PackBuildInput {
  /** The store location (`sqlite:…`, `postgres://…`, `kurrentdb://…`); the thread opens its own connection. */
  readonly store: string;
  readonly originPrefix: string;
  readonly request: PackRequest;
  readonly template: EvidenceTemplate;
  /** The tree size of the checkpoint to prove against, fixed before the first build so a resumed one gives the same bytes. */
  readonly treeSize: number;
  readonly previous?: PackCheckpointRef;
  /** What the pack states about its retention (see packLock). */
  readonly retention?: PackRetention;
}

export interface PackBuildOutput {
  readonly zip: Buffer;
  readonly checkpoint: PackCheckpointRef;
  readonly summary: ControlsReport['summary'];
}

/** A running build: its result, and a way to stop it (a shutdown, a lost lease). */
export interface PackBuildHandle {
  readonly result: Promise<PackBuildOutput>;
  stop(): Promise<void>;
}

/** The public half of the signing key, which is all the thread holds. */
interface PublicKeyInfo {
  readonly name: string;
  readonly keyHash: number;
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  readonly publicKeyPem: string;
  readonly verifierKey: string;
}

type FromThread =
  | { readonly kind: 'progress'; readonly fraction: number }
  | { readonly kind: 'sign'; readonly id: number; readonly message: Uint8Array }
  | {
      readonly kind: 'done';
      readonly zip: ArrayBuffer;
      readonly checkpoint: PackCheckpointRef;
      readonly summary: ControlsReport['summary'];
    }
  | { readonly kind: 'failed'; readonly message: string; readonly code?: string };

type ToThread = { readonly kind: 'signed'; readonly id: number; readonly signature?: Uint8Array; readonly error?: string };

// The build thread's source: plain JavaScript evaluated as the worker's source, calling this
// library's build (from its dist), so it runs the same from sources (tests) and from dist.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
require(workerData.evidence).runPackBuildThread(parentPort, workerData.input, workerData.key);
`;

// Builds a pack on a worker thread with its own store connection, so reading the log,
// folding it, rendering the PDF and compressing never hold the service's event loop. The
// private key stays on this thread: the build thread asks for its one signature by message.
export function buildPackInThread(input: PackBuildInput, signer: Signer, onProgress: (fraction: number) => void): PackBuildHandle {
  const key: PublicKeyInfo = {
    name: signer.name,
    keyHash: signer.keyHash,
    keyId: signer.keyId,
    publicKey: signer.publicKey,
    publicKeyPem: signer.publicKeyPem(),
    verifierKey: signer.verifierKey(),
  };
  const worker = new Worker(THREAD_SOURCE, {
    eval: true,
    workerData: { evidence: require.resolve('@evidence-ledger/evidence/dist/index.js'), input, key },
  });
  let stopped = false;
  const result = new Promise<PackBuildOutput>((resolve, reject) => {
    worker.on('message', (m: FromThread) => {
      if (m.kind === 'progress') onProgress(m.fraction);
      else if (m.kind === 'sign') {
        signer.sign(m.message).then(
          (signature) => worker.postMessage({ kind: 'signed', id: m.id, signature } satisfies ToThread),
          (e: Error) => worker.postMessage({ kind: 'signed', id: m.id, error: e.message } satisfies ToThread),
        );
      } else if (m.kind === 'done') {
        resolve({ zip: Buffer.from(m.zip), checkpoint: m.checkpoint, summary: m.summary });
        void worker.terminate();
      } else {
        reject(m.code ? new LedgerError(m.code as LedgerError['code'], m.message) : new Error(m.message));
        void worker.terminate();
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) =>
      reject(new Error(stopped ? 'the build was stopped' : `the build thread stopped unexpectedly (exit code ${code})`)),
    );
  });
  return {
    result,
    stop: async () => {
      stopped = true;
      await worker.terminate();
    },
  };
}

// Runs inside the build thread: opens the store, builds, and posts the zip back as one
// transferred buffer (no copy).
export async function runPackBuildThread(port: MessagePort, input: PackBuildInput, key: PublicKeyInfo): Promise<void> {
  const waiting = new Map<number, { resolve: (s: Uint8Array) => void; reject: (e: Error) => void }>();
  port.on('message', (m: ToThread) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.signature) w?.resolve(m.signature);
    else w?.reject(new Error(`signing the pack failed: ${m.error}`));
  });
  let nextId = 0;
  const signer: Signer = {
    name: key.name,
    keyHash: key.keyHash,
    keyId: key.keyId,
    publicKey: key.publicKey,
    publicKeyPem: () => key.publicKeyPem,
    verifierKey: () => key.verifierKey,
    sign: (message) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        port.postMessage({ kind: 'sign', id, message } satisfies FromThread);
      }),
  };
  const post = (m: FromThread, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  let store: Awaited<ReturnType<typeof openStore>> | undefined;
  try {
    store = await openStore(input.store);
    const ledger = new Ledger({ store, signer, originPrefix: input.originPrefix, preparer: INLINE_PREPARER });
    const checkpoint = await store.checkpointAt(input.request.tenant, input.treeSize);
    if (!checkpoint) throw new LedgerError('NOT_FOUND', `tenant ${input.request.tenant} has no checkpoint of tree size ${input.treeSize}`);
    const pack = await buildEvidencePack(ledger, input.request, {
      template: input.template,
      checkpoint,
      ...(input.previous ? { previous: input.previous } : {}),
      ...(input.retention ? { retention: input.retention } : {}),
      onProgress: (fraction) => post({ kind: 'progress', fraction }),
    });
    // A zip of its own ArrayBuffer moves to the service's thread without a copy.
    const owned =
      pack.zip.byteOffset === 0 && pack.zip.byteLength === pack.zip.buffer.byteLength
        ? (pack.zip.buffer as ArrayBuffer)
        : new Uint8Array(pack.zip).buffer;
    post({ kind: 'done', zip: owned, checkpoint: pack.manifest.checkpoint, summary: pack.controls.summary }, [owned]);
  } catch (e) {
    post({ kind: 'failed', message: (e as Error).message, ...(e instanceof LedgerError ? { code: e.code } : {}) });
  } finally {
    // The service's thread ends this one once it has the answer.
    await store?.close().catch(() => undefined);
  }
}
