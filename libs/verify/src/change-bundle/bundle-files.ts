import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ZipReader } from '../packs/pack-zip';
import { CliError } from '../command/cli-error';

/** Where a bundle's files are read from: a directory, or a zip file's entries (listed, for a zip, without unpacking them). */
export type BundleFiles = ((name: string) => Promise<Buffer | undefined>) & {
  readonly entries?: readonly { readonly name: string; readonly size: number }[];
};

// A bundle's files stay small (one change's events and proofs); anything larger than this,
// in one file or altogether, is refused before it is inflated.
const MAX_UNZIPPED_BYTES = 256 * 1024 * 1024;

export const isZipPath = (path: string): boolean => /\.zip$/i.test(path);

export function directoryFiles(dir: string): BundleFiles {
  return (name) => fs.readFile(join(dir, name)).catch(() => undefined);
}

// Reads a zip bundle's entries: flat names only (no directories, no `..`), sizes bounded by
// what the central directory declares before anything is inflated; each file is inflated only
// when the reader asks for it (the manifest first, then the files it lists).
export function zipFiles(path: string, bytes: Uint8Array): BundleFiles {
  let zip: ZipReader;
  try {
    zip = ZipReader.open(bytes, { maxEntryBytes: MAX_UNZIPPED_BYTES, maxTotalBytes: MAX_UNZIPPED_BYTES, names: /^[^/]+$/ });
  } catch (cause) {
    throw new CliError('INPUT_INVALID', `${path} is not a readable zip bundle: ${(cause as Error).message}`, { cause });
  }
  const read = async (name: string) => {
    if (!zip.has(name)) return undefined;
    try {
      return Buffer.from(zip.read(name));
    } catch (cause) {
      throw new CliError('INPUT_INVALID', `${path}: ${(cause as Error).message}`, { cause });
    }
  };
  return Object.assign(read, { entries: zip.entries.map(({ name, size }) => ({ name, size })) });
}
