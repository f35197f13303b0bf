import { NoteError, NoteErrorCode } from '../errors/note-error';
import { ed25519KeyMatcher } from './ed25519-note-key';
import { NoteSigner } from './note-signature';
import { openNote } from './open-note';
import { NOTE_LIMITS, parseSignedNote, signNote } from './signed-note';
import { GO_VECTORS, generateTestKey, testKeyFromGoSignerKey } from './testing/note-test-keys';
import { parseVerifierKey } from './verifier-key';

const { text, peterSignatureLine: peterSig, enochSignatureLine: enochSig } = GO_VECTORS;
const peter = parseVerifierKey(GO_VECTORS.peterVerifierKey);
const enoch = parseVerifierKey(GO_VECTORS.enochVerifierKey);
const peterNote = `${text}\n${peterSig}`;

function codeOf(action: () => unknown): NoteErrorCode | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof NoteError) return error.code;
    throw error;
  }
  return undefined;
}

async function signedByFreshKey(body = 'ledger.example/log\n42\n') {
  const key = generateTestKey('ledger.example/log');
  return { key, note: await signNote(body, [key.signer]) };
}

// Flips one bit of the base64 signature's decoded bytes at `byteIndex` (0..3 = key ID).
function flipSignatureByte(note: string, byteIndex: number): string {
  const lineStart = note.lastIndexOf('\u2014 ');
  const line = note.slice(lineStart, -1);
  const [dash, name, encoded] = line.split(' ');
  const bytes = Buffer.from(encoded, 'base64');
  bytes[byteIndex] ^= 0x01;
  return `${note.slice(0, lineStart)}${dash} ${name} ${bytes.toString('base64')}\n`;
}

describe('signing notes', () => {
  it('reproduces the Go sumdb/note signature of the PeterNeumann example byte for byte', async () => {
    const { signer } = testKeyFromGoSignerKey(GO_VECTORS.peterSignerKey);
    await expect(signNote(text, [signer])).resolves.toBe(peterNote);
  });

  it('writes one signature line per signer, in order', async () => {
    const a = generateTestKey('a.example/log');
    const b = generateTestKey('b.example/log');
    const note = await signNote('hello\n', [a.signer, b.signer]);
    expect(parseSignedNote(note).signatures.map((s) => s.name)).toEqual(['a.example/log', 'b.example/log']);
    expect(openNote(note, [a.verifier, b.verifier]).verifiedBy.map((v) => v.name)).toEqual(['a.example/log', 'b.example/log']);
  });

  it('round-trips text with empty lines and non-ASCII characters', async () => {
    const body = 'Ognuno sta solo sul cuor della terra\n\ned è subito sera.\n\n';
    const key = generateTestKey('quasimodo.example/salvatore');
    const note = await signNote(body, [key.signer]);
    expect(openNote(note, [key.verifier]).text).toBe(body);
    expect(openNote(Buffer.from(note, 'utf8'), [key.verifier]).text).toBe(body);
  });

  it('refuses text without a trailing newline, with control characters, or without signers', async () => {
    const { signer } = generateTestKey('a.example/log');
    await expect(signNote('no newline', [signer])).rejects.toMatchObject({ code: 'NOTE_MALFORMED' });
    await expect(signNote('', [signer])).rejects.toMatchObject({ code: 'NOTE_MALFORMED' });
    await expect(signNote('tab\there\n', [signer])).rejects.toMatchObject({ code: 'NOTE_MALFORMED' });
    await expect(signNote('cr\r\n', [signer])).rejects.toMatchObject({ code: 'NOTE_MALFORMED' });
    await expect(signNote('lone \ud800 surrogate\n', [signer])).rejects.toMatchObject({ code: 'NOTE_MALFORMED' });
    await expect(signNote('fine\n', [])).rejects.toMatchObject({ code: 'NOTE_MALFORMED' });
  });

  it('refuses a signer whose name is not a valid key name', async () => {
    const { signer } = generateTestKey('a.example/log');
    const badName: NoteSigner = { ...signer, name: 'bad name', sign: signer.sign };
    await expect(signNote('fine\n', [badName])).rejects.toMatchObject({ code: 'KEY_MALFORMED' });
  });
});

describe('parsing notes', () => {
  it('splits the Go example into text and decoded signature lines', () => {
    const parsed = parseSignedNote(`${text}\n${peterSig}${enochSig}`);
    expect(parsed.text).toBe(text);
    expect(parsed.signatures.map((s) => [s.name, s.keyHash, s.signature.length])).toEqual([
      ['PeterNeumann', 0xc74f20a3, 64],
      ['EnochRoot', 0xaf0cfe78, 64],
    ]);
  });

  it('parses the c2sp.org/signed-note example, whose text contains an empty line', () => {
    const note =
      'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n' +
      '— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n';
    const parsed = parseSignedNote(note);
    expect(parsed.text).toBe('Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n');
    expect(parsed.signatures[0].name).toBe('quasimodo.example/salvatore');
  });

  it.each([
    ['text alone', text],
    ['text and a blank line but no signature', `${text}\n`],
    ['a signature line missing its final newline', `${text}\n${peterSig.slice(0, -1)}`],
    ['a control character', `\x01${text}\n${peterSig}`],
    ['a carriage return', `${text.replace('\n', '\r\n')}\n${peterSig}`],
    ['a key name with a space', `${text}\n— Bad Name ${peterSig.split(' ')[2]}`],
    ['a line after the signatures that is not a signature', `${text}\n${peterSig}Unexpected line.\n`],
    ['a blank line after the signatures', `${peterNote}\n`],
    ['a signature truncated mid-base64', `${text}\n${peterSig.slice(0, 40)}\n`],
    ['a signature of only the key ID', `${text}\n— PeterNeumann x08gow==\n`],
    ['a signature line without a signature', `${text}\n— PeterNeumann\n`],
    ['a hyphen instead of an em dash', `${text}\n${peterSig.replace('—', '-')}`],
    ['unpadded base64', `${text}\n${peterSig.replace('=\n', '\n')}`],
    ['URL-safe base64', `${text}\n${peterSig.replace(/\//g, '_')}`],
  ])('rejects a note with %s as malformed', (_, note) => {
    expect(codeOf(() => parseSignedNote(note))).toBe('NOTE_MALFORMED');
    expect(codeOf(() => openNote(note, [peter]))).toBe('NOTE_MALFORMED');
  });

  it('rejects bytes that are not valid UTF-8', () => {
    const note = Buffer.concat([Buffer.from([0xff]), Buffer.from(peterNote)]);
    expect(codeOf(() => parseSignedNote(note))).toBe('NOTE_MALFORMED');
  });

  it(`accepts ${NOTE_LIMITS.maxSignatures} signatures and rejects one more`, () => {
    const max = NOTE_LIMITS.maxSignatures;
    expect(openNote(`${text}\n${peterSigs(max)}`, [peter]).verifiedBy).toEqual([peter]);
    expect(codeOf(() => openNote(`${text}\n${peterSigs(max + 1)}`, [peter]))).toBe('NOTE_MALFORMED');
    expect(codeOf(() => openNote(`${text}\n${peterSigs(max + 1)}`, []))).toBe('NOTE_MALFORMED');
  });

  it('rejects a note larger than the size limit before decoding it', () => {
    const huge = `${'a'.repeat(NOTE_LIMITS.maxNoteBytes)}\n\n${peterSig}`;
    expect(codeOf(() => parseSignedNote(huge))).toBe('NOTE_MALFORMED');
  });
});

function peterSigs(count: number): string {
  return peterSig.repeat(count);
}

describe('opening notes', () => {
  it('verifies the Go example with the published verifier key', () => {
    const opened = openNote(peterNote, [peter]);
    expect(opened.text).toBe(text);
    expect(opened.verifiedBy).toEqual([peter]);
  });

  it('ignores signatures by keys it does not know, and reports them', () => {
    const opened = openNote(`${text}\n${peterSig}${enochSig}`, [peter]);
    expect(opened.verifiedBy).toEqual([peter]);
    expect(opened.unverifiedSignatures.map((s) => s.name)).toEqual(['EnochRoot']);
  });

  it('verifies every signature by a known key', () => {
    expect(openNote(`${text}\n${peterSig}${enochSig}`, [peter, enoch]).verifiedBy).toEqual([peter, enoch]);
  });

  it('rejects a note signed by no known key as unverified', () => {
    expect(codeOf(() => openNote(`${text}\n${peterSig}${enochSig}`, []))).toBe('NOTE_UNVERIFIED');
    expect(codeOf(() => openNote(`${text}\n${enochSig}`, [peter]))).toBe('NOTE_UNVERIFIED');
  });

  it('rejects the Go example with garbage spliced into the signature', () => {
    const note = `${text}\n${peterSig.slice(0, 60)}ABCD${peterSig.slice(60)}`;
    expect(codeOf(() => openNote(note, [peter]))).toBe('NOTE_BAD_SIGNATURE');
  });

  it('rejects a note whose signature has one bit flipped', async () => {
    const { key, note } = await signedByFreshKey();
    expect(codeOf(() => openNote(flipSignatureByte(note, 20), [key.verifier]))).toBe('NOTE_BAD_SIGNATURE');
  });

  it('rejects a note whose text has one byte changed', async () => {
    const { key, note } = await signedByFreshKey('ledger.example/log\n42\n');
    expect(codeOf(() => openNote(note.replace('42', '43'), [key.verifier]))).toBe('NOTE_BAD_SIGNATURE');
  });

  it('rejects a truncated note', async () => {
    const { key, note } = await signedByFreshKey();
    for (const cut of [1, 10, note.length - note.indexOf('\n\n')]) {
      expect(codeOf(() => openNote(note.slice(0, -cut), [key.verifier]))).toBe('NOTE_MALFORMED');
    }
  });

  it('treats an extra blank line before the signatures as part of the text, which then fails to verify', async () => {
    const { key, note } = await signedByFreshKey();
    const withExtraBlank = note.replace('\n\n', '\n\n\n');
    expect(parseSignedNote(withExtraBlank).text).toBe('ledger.example/log\n42\n\n');
    expect(codeOf(() => openNote(withExtraBlank, [key.verifier]))).toBe('NOTE_BAD_SIGNATURE');
  });

  it('ignores a signature under another key name, even with the right key ID', () => {
    const renamed = peterSig.replace('PeterNeumann', 'CarmenSandiego');
    expect(codeOf(() => openNote(`${text}\n${renamed}`, [peter]))).toBe('NOTE_UNVERIFIED');
  });

  it('ignores a signature with the right name but another key ID', async () => {
    const { key, note } = await signedByFreshKey();
    expect(codeOf(() => openNote(flipSignatureByte(note, 0), [key.verifier]))).toBe('NOTE_UNVERIFIED');
  });

  it('rejects the whole note when one known key verifies and another known key does not', () => {
    const badEnoch = `${enochSig.slice(0, 60)}ABCD${enochSig.slice(60)}`;
    expect(codeOf(() => openNote(`${text}\n${peterSig}${badEnoch}`, [peter, enoch]))).toBe('NOTE_BAD_SIGNATURE');
  });

  it('verifies with a bare public key under whatever name the signature line carries', async () => {
    const { key, note } = await signedByFreshKey();
    const opened = openNote(note, [ed25519KeyMatcher(key.publicKey)]);
    expect(opened.verifiedBy.map((v) => [v.name, v.keyHash])).toEqual([['ledger.example/log', key.signer.keyHash]]);
    expect(codeOf(() => openNote(note, [ed25519KeyMatcher(generateTestKey('x').publicKey)]))).toBe('NOTE_UNVERIFIED');
  });

  it('accepts the same key given twice, as a vkey and as a bare public key', async () => {
    const { key, note } = await signedByFreshKey();
    expect(openNote(note, [key.verifier, ed25519KeyMatcher(key.publicKey)]).verifiedBy).toHaveLength(1);
  });
});
