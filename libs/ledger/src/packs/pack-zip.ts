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

/**
 * Reads every file of a zip (stored or deflated) by its central directory; throws on a
 * malformed zip, a CRC mismatch, a name that is not a plain relative path, or more than
 * MAX_UNPACKED_BYTES unpacked.
 */
export function readZip(zip: Uint8Array): Record<string, Uint8Array> {
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--)
    if (buf.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  if (end < 0) throw new Error('no end of central directory record');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const files: Record<string, Uint8Array> = {};
  let unpacked = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL_HEADER) throw new Error(`central directory entry ${n + 1} is malformed`);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const skip = buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const declared = buf.readUInt32LE(at + 24);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + skip;
    if (!SAFE_NAME.test(name) || name.split('/').some((part) => part === '.' || part === '..')) {
      throw new Error(`unexpected entry name ${JSON.stringify(name)} (packs hold relative paths only)`);
    }
    unpacked += declared;
    if (declared > MAX_UNPACKED_BYTES || unpacked > MAX_UNPACKED_BYTES) {
      throw new Error(`${name}: the zip unpacks to more than ${MAX_UNPACKED_BYTES} bytes; refused`);
    }
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL_HEADER) throw new Error(`${name}: local header is malformed`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    let data: Buffer;
    if (method === 0) data = raw;
    // The declared size bounds the inflation: a lying header cannot make it allocate more.
    else if (method === 8) data = inflateRawSync(raw, { maxOutputLength: Math.max(1, declared) });
    else throw new Error(`${name}: unsupported compression method ${method}`);
    if (crc32(data) !== crc) throw new Error(`${name}: its bytes fail the zip's CRC-32`);
    if (name in files) throw new Error(`${name}: appears twice`);
    files[name] = data;
  }
  return files;
}
