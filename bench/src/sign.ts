import { randomBytes } from 'node:crypto';
import { signCheckpoint } from '@evidence-ledger/core';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { Benchmark, size } from './benchmark';
import { measureRate } from './measure';
import { Measurement } from './report';

// Reference line: Ed25519 signatures per second, raw (`signer.sign` over a checkpoint-sized
// message) and as the sequencer uses it (`signCheckpoint`: format the C2SP note, sign it).
export const sign: Benchmark = {
  name: 'sign',
  what: 'Reference: Ed25519 sign (LocalKeySigner) and signCheckpoint (C2SP signed note)',
  postgres: false,
  async run(ctx) {
    const signer = LocalKeySigner.generate('bench.evidence-ledger/acme');
    const count = size(ctx, 20_000, 1000);
    const message = Buffer.from(`bench.evidence-ledger/acme\n1000000\n${randomBytes(32).toString('base64')}\n`);
    const raw = await measureRate(ctx.rounds, () => ({
      count,
      run: async () => {
        for (let i = 0; i < count; i++) await signer.sign(message);
      },
    }));
    const note = await measureRate(ctx.rounds, () => ({
      count,
      run: async () => {
        for (let i = 0; i < count; i++)
          await signCheckpoint({ origin: 'bench.evidence-ledger/acme', treeSize: i + 1, rootHash: randomBytes(32), extensions: [] }, [
            signer,
          ]);
      },
    }));
    const out: Measurement[] = [
      { id: 'sign.ed25519', name: 'Ed25519 sign', value: raw.median, unit: 'sig/s', details: { perRound: count, rounds: raw.rounds } },
      {
        id: 'sign.checkpoint',
        name: 'signCheckpoint (note + Ed25519)',
        value: note.median,
        unit: 'sig/s',
        details: { perRound: count, rounds: note.rounds },
      },
    ];
    for (const m of out) ctx.log(`  ${m.name}: ${Math.round(m.value)} ${m.unit}`);
    return out;
  },
};
