import { readZip, writeZip } from './pack-zip';

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
    expect(() => readZip(zip)).toThrow(/unpacks to more than/);
  });

  it('never inflates past the size an entry declares (a lying header is a malformed zip)', () => {
    const zip = writeZip([{ name: 'events.jsonl', bytes: text('x'.repeat(1_000_000)), level: 9 }]);
    zip.writeUInt32LE(1000, centralEntry(zip) + 24);
    expect(() => readZip(zip)).toThrow();
  });
});
