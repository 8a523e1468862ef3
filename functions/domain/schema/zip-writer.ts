/**
 * A ZIP archive of a few small parts, deflated, with their CRC-32 (what Excel and
 * LibreOffice check when they open a workbook). For the templates (template.ts): parts of
 * kilobytes, built in memory. No ZIP64, no data descriptors: each part and the whole stay
 * far under 4 GB.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipPart {
  name: string;
  data: string | Uint8Array;
}

/** 1980-01-01 00:00 in MS-DOS form: the parts carry no meaningful time, and the same input gives the same bytes. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
/** General purpose flag bit 11: names are UTF-8. */
const UTF8_NAMES = 0x0800;

/** What the local header and the directory entry both say of a part, in the same order, from `at`. */
function describe(header: Buffer, at: number, crc: number, compressed: number, size: number, nameLength: number): void {
  header.writeUInt16LE(UTF8_NAMES, at);
  header.writeUInt16LE(8, at + 2); // deflate
  header.writeUInt16LE(DOS_TIME, at + 4);
  header.writeUInt16LE(DOS_DATE, at + 6);
  header.writeUInt32LE(crc, at + 8);
  header.writeUInt32LE(compressed, at + 12);
  header.writeUInt32LE(size, at + 16);
  header.writeUInt16LE(nameLength, at + 20);
}

export function writeZip(parts: readonly ZipPart[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const raw = typeof part.data === 'string' ? Buffer.from(part.data, 'utf8') : Buffer.from(part.data.buffer, part.data.byteOffset, part.data.byteLength);
    const body = deflateRawSync(raw);
    const name = Buffer.from(part.name, 'utf8');
    const crc = crc32(raw) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    describe(local, 6, crc, body.length, raw.length, name.length);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    describe(entry, 8, crc, body.length, raw.length, name.length);
    entry.writeUInt32LE(offset, 42);
    chunks.push(local, name, body);
    central.push(entry, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, directory, end]);
}
