import { readZip } from '@evidence-ledger/verify';
import { zipBundle } from './bundle-zip';

const files = {
  'checkpoint.txt': 'origin\n3\nroot\n',
  'entries.jsonl': `${'{"sequence":1}\n'.repeat(50)}`,
  'manifest.json': '{ "format": "change-bundle" }\n',
};

describe('zipBundle', () => {
  it('gives the same bytes for the same bundle', () => {
    expect(Buffer.from(zipBundle({ ...files })).equals(Buffer.from(zipBundle(files)))).toBe(true);
  });

  it('holds every file, in order, readable by the verifier', () => {
    const read = readZip(zipBundle(files));
    expect(Object.keys(read)).toEqual(Object.keys(files));
    for (const [name, text] of Object.entries(files)) expect(Buffer.from(read[name]).toString('utf8')).toBe(text);
  });
});
