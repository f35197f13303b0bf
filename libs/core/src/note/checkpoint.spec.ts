import { createHash } from 'node:crypto';
import { NoteError, NoteErrorCode } from '../errors/note-error';
import { Checkpoint, formatCheckpoint, parseCheckpoint } from './checkpoint';
import { ed25519KeyMatcher } from './ed25519-note-key';
import { signCheckpoint, openCheckpoint } from './signed-checkpoint';
import { generateTestKey } from './testing/note-test-keys';

const ROOT = createHash('sha256').update('root').digest();
const ROOT_B64 = ROOT.toString('base64');

function checkpoint(overrides: Partial<Checkpoint> = {}): Checkpoint {
  return { origin: 'ledger.example/acme', treeSize: 20852163, rootHash: ROOT, extensions: [], ...overrides };
}

function codeOf(action: () => unknown): NoteErrorCode | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof NoteError) return error.code;
    throw error;
  }
  return undefined;
}

describe('checkpoint body (c2sp.org/tlog-checkpoint)', () => {
  it('formats origin, decimal size and base64 root hash, one per line', () => {
    expect(formatCheckpoint(checkpoint())).toBe(`ledger.example/acme\n20852163\n${ROOT_B64}\n`);
  });

  it('appends extension lines after the root hash', () => {
    const text = formatCheckpoint(checkpoint({ extensions: ['ext one', 'ext two'] }));
    expect(text).toBe(`ledger.example/acme\n20852163\n${ROOT_B64}\next one\next two\n`);
    expect(parseCheckpoint(text).extensions).toEqual(['ext one', 'ext two']);
  });

  it('parses what it formats, including the empty tree and the largest safe size', () => {
    for (const treeSize of [0, 1, Number.MAX_SAFE_INTEGER]) {
      const parsed = parseCheckpoint(formatCheckpoint(checkpoint({ treeSize })));
      expect(parsed).toEqual({ ...checkpoint({ treeSize }), rootHash: new Uint8Array(ROOT) });
    }
  });

  it('parses the example checkpoint of the specification', () => {
    const parsed = parseCheckpoint('example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n');
    expect(parsed.origin).toBe('example.com/behind-the-sofa');
    expect(parsed.treeSize).toBe(20852163);
    expect(parsed.rootHash).toHaveLength(32);
  });

  it.each([
    ['a leading zero', '01'],
    ['a plus sign', '+1'],
    ['a minus sign', '-1'],
    ['a fraction', '1.0'],
    ['an exponent', '1e3'],
    ['hexadecimal', '0x10'],
    ['surrounding spaces', ' 1'],
    ['no digits', ''],
    ['a value above 2^53 - 1', '9007199254740992'],
  ])('rejects a tree size with %s', (_, size) => {
    expect(codeOf(() => parseCheckpoint(`ledger.example/acme\n${size}\n${ROOT_B64}\n`))).toBe('CHECKPOINT_MALFORMED');
  });

  it.each([
    ['31 bytes', ROOT.subarray(1).toString('base64')],
    ['33 bytes', Buffer.concat([ROOT, Buffer.from([0])]).toString('base64')],
    ['no padding', ROOT_B64.replace(/=+$/, '')],
    ['the URL-safe alphabet', Buffer.from('fb'.repeat(32), 'hex').toString('base64url') + '='],
    ['non-zero trailing bits', ROOT_B64.slice(0, 42) + 'B='],
    ['hex instead of base64', ROOT.toString('hex')],
  ])('rejects a root hash of %s', (_, root) => {
    expect(codeOf(() => parseCheckpoint(`ledger.example/acme\n1\n${root}\n`))).toBe('CHECKPOINT_MALFORMED');
  });

  it.each([
    ['an empty origin', `\n1\n${ROOT_B64}\n`],
    ['only two lines', 'ledger.example/acme\n1\n'],
    ['no trailing newline', `ledger.example/acme\n1\n${ROOT_B64}`],
    ['an empty extension line', `ledger.example/acme\n1\n${ROOT_B64}\n\next\n`],
    ['a trailing blank line', `ledger.example/acme\n1\n${ROOT_B64}\n\n`],
    ['a carriage return', `ledger.example/acme\r\n1\n${ROOT_B64}\n`],
  ])('rejects a body with %s', (_, text) => {
    expect(codeOf(() => parseCheckpoint(text))).toBe('CHECKPOINT_MALFORMED');
  });

  it('refuses to format a checkpoint it could not parse back', () => {
    for (const bad of [
      checkpoint({ origin: '' }),
      checkpoint({ origin: 'two\nlines' }),
      checkpoint({ treeSize: -1 }),
      checkpoint({ treeSize: 1.5 }),
      checkpoint({ treeSize: 2 ** 53 }),
      checkpoint({ rootHash: ROOT.subarray(0, 31) }),
      checkpoint({ extensions: [''] }),
    ]) {
      expect(codeOf(() => formatCheckpoint(bad))).toBe('CHECKPOINT_MALFORMED');
    }
  });
});

describe('signed checkpoints', () => {
  it('opens a checkpoint signed by the log key', async () => {
    const log = generateTestKey('ledger.example/acme');
    const note = await signCheckpoint(checkpoint(), [log.signer]);
    const opened = openCheckpoint(note, [log.verifier]);
    expect(opened.checkpoint.treeSize).toBe(20852163);
    expect(Buffer.from(opened.checkpoint.rootHash).equals(ROOT)).toBe(true);
    expect(opened.verifiedBy).toEqual([log.verifier]);
  });

  it('opens a checkpoint with only the bare public key of the log', async () => {
    const log = generateTestKey('ledger.example/acme');
    const note = await signCheckpoint(checkpoint(), [log.signer]);
    expect(openCheckpoint(note, [ed25519KeyMatcher(log.publicKey)]).checkpoint.origin).toBe('ledger.example/acme');
  });

  it('keeps witness cosignatures it cannot verify as unverified signatures', async () => {
    const log = generateTestKey('ledger.example/acme');
    const witness = generateTestKey('witness.example/w1');
    const note = await signCheckpoint(checkpoint(), [log.signer, witness.signer]);
    const opened = openCheckpoint(note, [log.verifier]);
    expect(opened.unverifiedSignatures.map((s) => s.name)).toEqual(['witness.example/w1']);
  });

  it('rejects a checkpoint signed by another key as unverified', async () => {
    const note = await signCheckpoint(checkpoint(), [generateTestKey('ledger.example/acme').signer]);
    const trusted = generateTestKey('ledger.example/acme').verifier;
    expect(codeOf(() => openCheckpoint(note, [trusted]))).toBe('NOTE_UNVERIFIED');
  });

  it('rejects a checkpoint whose tree size was altered after signing', async () => {
    const log = generateTestKey('ledger.example/acme');
    const note = await signCheckpoint(checkpoint({ treeSize: 10 }), [log.signer]);
    expect(codeOf(() => openCheckpoint(note.replace('\n10\n', '\n11\n'), [log.verifier]))).toBe('NOTE_BAD_SIGNATURE');
  });

  it('checks signatures before the body: a signed non-checkpoint is malformed only once verified', async () => {
    const { signNote } = await import('./signed-note');
    const log = generateTestKey('ledger.example/acme');
    const note = await signNote('not a checkpoint\n', [log.signer]);
    expect(codeOf(() => openCheckpoint(note, [generateTestKey('other').verifier]))).toBe('NOTE_UNVERIFIED');
    expect(codeOf(() => openCheckpoint(note, [log.verifier]))).toBe('CHECKPOINT_MALFORMED');
  });
});
