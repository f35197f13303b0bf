import { zipSync } from 'fflate';

// Fixed entry times, so the same bundle always zips to the same bytes.
const ZIP_MTIME = new Date('2000-01-01T00:00:00Z');

// The bundle's files as one zip, entries in the given order with fixed times.
export function zipBundle(files: Record<string, string>): Uint8Array {
  return zipSync(
    Object.fromEntries(Object.entries(files).map(([name, text]) => [name, [Buffer.from(text, 'utf8'), { mtime: ZIP_MTIME, level: 6 }]])),
  );
}
