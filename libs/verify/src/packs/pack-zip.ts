import { constants, crc32, deflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';

/** One file of a pack zip, and how hard to compress it (0 = stored). */
export interface ZipInput {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly level: number;
  /** The raw deflate of `bytes` at `level`, when it was computed ahead (see `deflateInBackground`). */
  readonly deflated?: Buffer;
}

/** Raw deflate on the libuv thread pool, so a large file compresses while the caller works on. */
export function deflateInBackground(bytes: Uint8Array, level: number): Promise<Buffer> {
  return new Promise((resolve, reject) => deflateRaw(bytes, { level }, (e, out) => (e ? reject(e) : resolve(out))));
}

// PKWARE APPNOTE 6.3.x §4.3: local file header, central directory header, end of central
// directory record. Every entry gets the same DOS time (2000-01-01 12:00:00, no time zone
// involved) and no extra fields, so the same files in the same order give the same zip.
const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const UTF8_NAMES = 0x0800;
const DOS_TIME = 12 << 11;
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;
const MAX_32 = 0xffffffff;

/** A deterministic zip (deflate via node:zlib), without ZIP64: every file and the whole zip under 4 GiB. */
export function writeZip(files: readonly ZipInput[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const data =
      f.level === 0
        ? Buffer.from(f.bytes)
        : (f.deflated ?? deflateRawSync(f.bytes, { level: f.level, strategy: constants.Z_DEFAULT_STRATEGY }));
    const method = f.level === 0 ? 0 : 8;
    const crc = crc32(f.bytes);
    if (f.bytes.length > MAX_32 || data.length > MAX_32 || offset > MAX_32)
      throw new RangeError(`${f.name} is too large for a zip without ZIP64`);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(f.bytes.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(UTF8_NAMES, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(DOS_TIME, 12);
    header.writeUInt16LE(DOS_DATE, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(f.bytes.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    parts.push(local, name, data);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

// A pack is read whole into memory by the offline verifier; these bound what a hostile zip can
// make it allocate (a 1M-entry pack unpacks to well under this) and which names it may carry.
const MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024 - 1;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;
const ENCRYPTED = 0x0001;
const DATA_DESCRIPTOR = 0x0008;

/** One file of a zip as its central directory declares it: nothing is inflated to know this. */
export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  /** The unpacked size the zip declares; reading inflates exactly this much or fails. */
  readonly size: number;
  /** Offset of the entry's (compressed) bytes in the zip. */
  readonly dataStart: number;
}

/** What a reader lets a zip declare: per file and altogether, unpacked. */
export interface ZipLimits {
  readonly maxEntryBytes?: number;
  readonly maxTotalBytes?: number;
  /** Entries whose names match this are the only ones allowed (default: any safe relative path). */
  readonly names?: RegExp;
}

/**
 * A zip read by its central directory, before anything is inflated: every entry's name, method,
 * sizes and local header are checked first (plain relative names, no duplicates, no encryption or
 * ZIP64, sizes within the limits, the local header agreeing with the central one, the bytes
 * inside the file). A caller then inflates only the entries it wants, each bounded by its
 * declared size — a bomb never gets past its header.
 */
export class ZipReader {
  private readonly byName = new Map<string, ZipEntry>();

  private constructor(
    private readonly buf: Buffer,
    readonly entries: readonly ZipEntry[],
  ) {
    for (const e of entries) this.byName.set(e.name, e);
  }

  // Throws an Error saying what is wrong when the zip is malformed or declares too much.
  static open(zip: Uint8Array, limits: ZipLimits = {}): ZipReader {
    const maxEntry = limits.maxEntryBytes ?? MAX_UNPACKED_BYTES;
    const maxTotal = limits.maxTotalBytes ?? MAX_UNPACKED_BYTES;
    const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
    let end = -1;
    for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--)
      if (buf.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
        end = i;
        break;
      }
    if (end < 0) throw new Error('no end of central directory record');
    const count = buf.readUInt16LE(end + 10);
    const directoryStart = buf.readUInt32LE(end + 16);
    if (directoryStart > end) throw new Error('the central directory lies outside the file');
    let at = directoryStart;
    const entries: ZipEntry[] = [];
    const names = new Set<string>();
    let unpacked = 0;
    for (let n = 0; n < count; n++) {
      if (at + 46 > end || buf.readUInt32LE(at) !== CENTRAL_HEADER) throw new Error(`central directory entry ${n + 1} is malformed`);
      const flags = buf.readUInt16LE(at + 8);
      const method = buf.readUInt16LE(at + 10);
      const crc = buf.readUInt32LE(at + 16);
      const compressedSize = buf.readUInt32LE(at + 20);
      const size = buf.readUInt32LE(at + 24);
      const nameLength = buf.readUInt16LE(at + 28);
      const skip = buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
      const local = buf.readUInt32LE(at + 42);
      if (at + 46 + nameLength > end) throw new Error(`central directory entry ${n + 1} is malformed`);
      const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
      at += 46 + nameLength + skip;
      if (
        !SAFE_NAME.test(name) ||
        name.split('/').some((part) => part === '.' || part === '..') ||
        !(limits.names ?? SAFE_NAME).test(name)
      ) {
        throw new Error(`unexpected entry name ${JSON.stringify(name.slice(0, 200))} (relative paths only)`);
      }
      if (names.has(name)) throw new Error(`${name}: appears twice`);
      names.add(name);
      if (flags & ENCRYPTED) throw new Error(`${name}: encrypted entries are not supported`);
      if (method !== 0 && method !== 8) throw new Error(`${name}: unsupported compression method ${method}`);
      if (size === MAX_32 || compressedSize === MAX_32 || local === MAX_32) throw new Error(`${name}: ZIP64 entries are not supported`);
      if (method === 0 && compressedSize !== size)
        throw new Error(`${name}: stored, but declares ${compressedSize} bytes in the zip and ${size} unpacked`);
      unpacked += size;
      if (size > maxEntry) throw new Error(`${name}: declares ${size} bytes unpacked, more than the ${maxEntry} allowed; refused`);
      if (unpacked > maxTotal) throw new Error(`${name}: the zip unpacks to more than ${maxTotal} bytes; refused`);
      if (local + 30 > directoryStart || buf.readUInt32LE(local) !== LOCAL_HEADER) throw new Error(`${name}: local header is malformed`);
      const localName = buf.toString('utf8', local + 30, local + 30 + buf.readUInt16LE(local + 26));
      const localDeclares = [buf.readUInt32LE(local + 14), buf.readUInt32LE(local + 18), buf.readUInt32LE(local + 22)];
      if (localName !== name || buf.readUInt16LE(local + 8) !== method) throw new Error(`${name}: its local header names another file`);
      if (
        !(buf.readUInt16LE(local + 6) & DATA_DESCRIPTOR) &&
        (localDeclares[0] !== crc || localDeclares[1] !== compressedSize || localDeclares[2] !== size)
      ) {
        throw new Error(`${name}: its local header declares other sizes than the central directory`);
      }
      const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      if (dataStart + compressedSize > directoryStart) throw new Error(`${name}: its bytes run past the end of the file`);
      entries.push({ name, method, crc, compressedSize, size, dataStart });
    }
    return new ZipReader(buf, entries);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  entry(name: string): ZipEntry | undefined {
    return this.byName.get(name);
  }

  // Inflates one entry to exactly its declared size (never more: the bound is the output
  // limit itself) and checks its CRC-32.
  read(name: string): Uint8Array {
    const e = this.byName.get(name);
    if (!e) throw new Error(`${name}: not in the zip`);
    const raw = this.buf.subarray(e.dataStart, e.dataStart + e.compressedSize);
    let data: Buffer;
    if (e.method === 0) data = raw;
    else {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) });
      } catch (cause) {
        const code = (cause as NodeJS.ErrnoException).code;
        if (code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`${name}: inflates past the ${e.size} bytes it declares; refused`);
        throw new Error(`${name}: not a valid deflate stream (${(cause as Error).message})`);
      }
    }
    if (data.length !== e.size) throw new Error(`${name}: inflates to ${data.length} bytes, but declares ${e.size}`);
    if (crc32(data) !== e.crc) throw new Error(`${name}: its bytes fail the zip's CRC-32`);
    return data;
  }
}

/**
 * Reads every file of a zip (stored or deflated) by its central directory; throws on a
 * malformed zip, a CRC mismatch, a name that is not a plain relative path, declared sizes
 * that disagree, or more than MAX_UNPACKED_BYTES unpacked.
 */
export function readZip(zip: Uint8Array): Record<string, Uint8Array> {
  const reader = ZipReader.open(zip);
  return Object.fromEntries(reader.entries.map((e) => [e.name, reader.read(e.name)]));
}
