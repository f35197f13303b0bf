import { readZip, writeZip, ZipReader } from './pack-zip';

const CENTRAL_HEADER = 0x02014b50;

// The offset of the first central-directory entry of a zip this module wrote.
function centralEntry(zip: Buffer): number {
  for (let i = zip.length - 46; i >= 0; i--) if (zip.readUInt32LE(i) === CENTRAL_HEADER) return i;
  throw new Error('no central directory');
}

const text = (s: string) => Buffer.from(s, 'utf8');

describe('pack zip', () => {
  it('reads back exactly what it wrote, stored and deflated, nested names included', () => {
    const big = text('x'.repeat(100_000));
    const zip = writeZip([
      { name: 'manifest.json', bytes: text('{"a":1}'), level: 0 },
      { name: 'proofs/range.json', bytes: big, level: 6 },
    ]);
    const files = readZip(zip);
    expect(Object.keys(files)).toEqual(['manifest.json', 'proofs/range.json']);
    expect(Buffer.from(files['proofs/range.json']).equals(big)).toBe(true);
  });

  it.each(['../manifest.json', '/etc/passwd', 'proofs/../../x', 'a\\b', '.hidden', 'proofs//range.json'])(
    'refuses an entry named %j',
    (name) => {
      expect(() => readZip(writeZip([{ name, bytes: text('{}'), level: 0 }]))).toThrow(/unexpected entry name/);
    },
  );

  it('refuses a zip that declares more than it may unpack, before inflating anything', () => {
    const zip = writeZip([{ name: 'events.jsonl', bytes: text('x'.repeat(1000)), level: 6 }]);
    zip.writeUInt32LE(0xfffffff0, centralEntry(zip) + 24);
    expect(() => readZip(zip)).toThrow(/events\.jsonl: declares 4294967280 bytes unpacked, more than the 2147483647 allowed/);
  });

  it('never inflates past the size an entry declares (a lying header is a malformed zip)', () => {
    const zip = writeZip([{ name: 'events.jsonl', bytes: text('x'.repeat(1_000_000)), level: 9 }]);
    zip.writeUInt32LE(1000, centralEntry(zip) + 24);
    expect(() => readZip(zip)).toThrow();
  });

  it('refuses declared sizes that disagree between the local header and the central directory, before inflating', () => {
    const zip = writeZip([{ name: 'events.jsonl', bytes: text('x'.repeat(1000)), level: 6 }]);
    zip.writeUInt32LE(0x7fffffff, 22); // the local header's unpacked size
    expect(() => ZipReader.open(zip)).toThrow(/events\.jsonl: its local header declares other sizes than the central directory/);
  });

  it('lists every entry with its declared sizes and inflates only the one asked for', () => {
    const zip = writeZip([
      { name: 'manifest.json', bytes: text('{"a":1}'), level: 6 },
      { name: 'events.jsonl', bytes: text('y'.repeat(5000)), level: 6 },
    ]);
    // Breaks the second entry's CRC (in both headers): only reading that entry can find out.
    const central = centralEntry(zip);
    zip.writeUInt32LE(0, central + 16);
    zip.writeUInt32LE(0, zip.readUInt32LE(central + 42) + 14);
    const reader = ZipReader.open(zip);
    expect(reader.entries.map((e) => [e.name, e.size])).toEqual([
      ['manifest.json', 7],
      ['events.jsonl', 5000],
    ]);
    expect(Buffer.from(reader.read('manifest.json')).toString()).toBe('{"a":1}');
    expect(() => reader.read('events.jsonl')).toThrow(/CRC-32/);
  });

  it('refuses a stored entry whose packed and unpacked sizes differ', () => {
    const zip = writeZip([{ name: 'checkpoint', bytes: text('abc'), level: 0 }]);
    zip.writeUInt32LE(1_000_000, centralEntry(zip) + 24);
    expect(() => ZipReader.open(zip)).toThrow(/checkpoint: stored, but declares 3 bytes in the zip and 1000000 unpacked/);
  });
});
