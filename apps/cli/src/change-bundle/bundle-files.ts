import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { CliError } from '../cli-error';

/** Where a bundle's files are read from: a directory, or a zip file's entries. */
export type BundleFiles = (name: string) => Promise<Buffer | undefined>;

// A bundle's files stay small (one change's events and proofs); anything larger than this,
// in one file or altogether, is refused before it is inflated.
const MAX_UNZIPPED_BYTES = 256 * 1024 * 1024;

// Fixed entry times, so the same bundle always zips to the same bytes.
const ZIP_MTIME = new Date('2000-01-01T00:00:00Z');

export const isZipPath = (path: string): boolean => /\.zip$/i.test(path);

export function directoryFiles(dir: string): BundleFiles {
  return (name) => fs.readFile(join(dir, name)).catch(() => undefined);
}

// Reads a zip bundle's entries: flat names only (no directories, no `..`), bounded sizes.
export function zipFiles(path: string, bytes: Uint8Array): BundleFiles {
  let total = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        total += file.originalSize;
        if (file.originalSize > MAX_UNZIPPED_BYTES || total > MAX_UNZIPPED_BYTES) {
          throw new CliError('INPUT_INVALID', `${path}: the zip holds more than ${MAX_UNZIPPED_BYTES} bytes unpacked; refused`);
        }
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(file.name)) {
          throw new CliError('INPUT_INVALID', `${path}: unexpected entry "${file.name}" (bundles hold flat file names only)`);
        }
        return true;
      },
    });
  } catch (cause) {
    if (cause instanceof CliError) throw cause;
    throw new CliError('INPUT_INVALID', `${path} is not a readable zip file: ${(cause as Error).message}`, { cause });
  }
  return async (name) => (Object.hasOwn(entries, name) ? Buffer.from(entries[name]) : undefined);
}

// The bundle's files as one zip, entries in the given order with fixed times.
export function zipBundle(files: Record<string, string>): Uint8Array {
  return zipSync(
    Object.fromEntries(Object.entries(files).map(([name, text]) => [name, [Buffer.from(text, 'utf8'), { mtime: ZIP_MTIME, level: 6 }]])),
  );
}
