import { constants, deflateRawSync } from 'node:zlib';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CHUNK = 16 * 1024 * 1024;

// A raw deflate stream of `size` zero bytes (rounded down to 16 MiB), about a thousandth of
// that: one 16 MiB block compressed once and repeated — each copy only refers back to zeros,
// so the copies chain — then an empty final block. Built in milliseconds, never inflated here.
export function deflatedZeros(size: number): { compressed: Buffer; size: number } {
  const block = deflateRawSync(Buffer.alloc(CHUNK), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const copies = Math.floor(size / CHUNK);
  return { compressed: Buffer.concat([...Array.from({ length: copies }, () => block), Buffer.from([0x03, 0x00])]), size: copies * CHUNK };
}

/** `zip` with one more deflated entry appended, its headers declaring `declaredSize` unpacked. */
export function withRawEntry(zip: Buffer, name: string, compressed: Buffer, declaredSize: number, crc = 0): Buffer {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  const directorySize = zip.readUInt32LE(end + 12);
  const directoryStart = zip.readUInt32LE(end + 16);
  const nameBytes = Buffer.from(name, 'utf8');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(LOCAL_HEADER, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(compressed.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(CENTRAL_HEADER, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(compressed.length, 20);
  central.writeUInt32LE(declaredSize, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(directoryStart, 42);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  eocd.writeUInt16LE(count + 1, 8);
  eocd.writeUInt16LE(count + 1, 10);
  eocd.writeUInt32LE(directorySize + central.length + nameBytes.length, 12);
  eocd.writeUInt32LE(directoryStart + local.length + nameBytes.length + compressed.length, 16);
  return Buffer.concat([
    zip.subarray(0, directoryStart),
    local,
    nameBytes,
    compressed,
    zip.subarray(directoryStart, directoryStart + directorySize),
    central,
    nameBytes,
    eocd,
  ]);
}
