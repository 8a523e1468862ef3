/**
 * The OLE2 compound file (« Compound File Binary », [MS-CFB]) that holds an Excel 97-2003
 * workbook: a small file system of 512-byte (version 3) or 4096-byte (version 4) sectors.
 * The header lists the sectors of the FAT (the first 109 itself, the others through the
 * DIFAT chain); the FAT chains the sectors of each stream; the directory (a chain too) names
 * the streams, their first sector and size; streams smaller than the cutoff (4096 bytes) are
 * stored in 64-byte mini sectors inside the root entry's « mini stream », chained by the
 * mini FAT.
 *
 * The same container holds an .xlsx encrypted with a password (`EncryptionInfo`,
 * `EncryptedPackage`) and Word or Outlook files: `has` tells them apart (names compared without case, as CFB does).
 *
 * Every index read from the file is checked: a chain that loops, a sector past the file, a
 * stream longer than its chain or a directory tree that loops is `invalid-spreadsheet`,
 * never an endless loop nor a TypeError. A chain is followed only as far as the stream's
 * size needs, each sector at most once, so a stream is never larger than the file.
 */
import { TableReadError } from './errors';

function fail(detail: string): TableReadError {
  return new TableReadError('invalid-spreadsheet', `Le classeur est illisible : ${detail}.`);
}

const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const HEADER_BYTES = 512;
/** FAT sector numbers held by the header itself. */
const HEADER_DIFAT = 109;
const DIR_ENTRY_BYTES = 128;

/** FAT values that are no sector: end of a chain, free, FAT and DIFAT sectors. */
const END_OF_CHAIN = 0xfffffffe;
const NO_STREAM = 0xffffffff;

const ENTRY_STORAGE = 1;
const ENTRY_STREAM = 2;
const ENTRY_ROOT = 5;

/** Whether the bytes start like a compound file (an .xls, an encrypted .xlsx, a .doc…). */
export function isCompoundFile(bytes: Uint8Array): boolean {
  return bytes.length >= SIGNATURE.length && SIGNATURE.every((b, i) => bytes[i] === b);
}

interface DirEntry {
  name: string;
  type: number;
  left: number;
  right: number;
  child: number;
  start: number;
  size: number;
}

export class CompoundFile {
  private readonly view: DataView;
  private readonly sectorSize: number;
  private readonly miniSectorSize: number;
  private readonly miniCutoff: number;
  /** Sectors the file holds, the last one possibly cut short. */
  private readonly sectorCount: number;
  private readonly fat: Uint32Array;
  private readonly entries: DirEntry[];
  private miniFat?: Uint32Array;
  private miniStream?: Uint8Array;

  constructor(private readonly bytes: Uint8Array) {
    if (!isCompoundFile(bytes)) throw fail('ce n’est pas un fichier Excel 97-2003');
    if (bytes.length < HEADER_BYTES) throw fail('en-tête du conteneur tronqué');
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const v = this.view;
    if (v.getUint16(28, true) !== 0xfffe) throw fail('ordre des octets du conteneur inconnu');
    const sectorShift = v.getUint16(30, true);
    if (sectorShift !== 9 && sectorShift !== 12) throw fail(`taille de secteur inconnue (2^${sectorShift})`);
    const miniShift = v.getUint16(32, true);
    if (miniShift !== 6) throw fail(`taille de mini-secteur inconnue (2^${miniShift})`);
    this.sectorSize = 1 << sectorShift;
    this.miniSectorSize = 1 << miniShift;
    this.miniCutoff = v.getUint32(56, true);
    // Sector n starts at (n + 1) × size: the header takes the place of sector -1 (padded to 4096 bytes in version 4).
    this.sectorCount = Math.max(0, Math.ceil((bytes.length - this.sectorSize) / this.sectorSize));

    this.fat = this.readFat(v.getUint32(44, true), v.getUint32(68, true));
    const dir = this.chain(this.fat, v.getUint32(48, true), 'répertoire', this.sectorCount);
    this.entries = this.readDirectory(dir);
    if (this.entries.length === 0 || this.entries[0].type !== ENTRY_ROOT) throw fail('racine du conteneur manquante');
  }

  /** The FAT, from the sector numbers in the header and along the DIFAT chain. */
  private readFat(fatSectors: number, firstDifat: number): Uint32Array {
    const perSector = this.sectorSize / 4;
    // Each FAT sector is a sector of the file: a count past them lies.
    if (fatSectors > this.sectorCount) throw fail(`table d’allocation annoncée de ${fatSectors} secteurs, le fichier en a ${this.sectorCount}`);
    const list: number[] = [];
    for (let i = 0; i < HEADER_DIFAT && list.length < fatSectors; i++) list.push(this.view.getUint32(76 + i * 4, true));
    const seen = new Set<number>();
    let next = firstDifat;
    // The DIFAT sectors' own count in the header is not needed: the chain is followed while FAT sectors are missing.
    while (list.length < fatSectors) {
      if (next >= this.sectorCount) throw fail('chaîne DIFAT interrompue');
      if (seen.has(next)) throw fail('chaîne DIFAT en boucle');
      seen.add(next);
      const base = (next + 1) * this.sectorSize;
      if (base + this.sectorSize > this.bytes.length) throw fail('secteur DIFAT tronqué');
      for (let i = 0; i < perSector - 1 && list.length < fatSectors; i++) list.push(this.view.getUint32(base + i * 4, true));
      next = this.view.getUint32(base + (perSector - 1) * 4, true);
    }
    const fat = new Uint32Array(list.length * perSector);
    list.forEach((sector, k) => {
      if (sector >= this.sectorCount) throw fail(`secteur de la table d’allocation hors du fichier (${sector})`);
      const base = (sector + 1) * this.sectorSize;
      const end = Math.min(base + this.sectorSize, this.bytes.length);
      for (let p = base, i = 0; p + 4 <= end; p += 4, i++) fat[k * perSector + i] = this.view.getUint32(p, true);
    });
    return fat;
  }

  /**
   * The sectors of a chain from `start`, at most `max` of them (what the stream's size
   * needs); a chain that loops, leaves the table or ends early is refused.
   */
  private chain(table: Uint32Array, start: number, what: string, max: number, limit = this.sectorCount): number[] {
    const out: number[] = [];
    const seen = new Uint8Array(Math.min(limit, table.length));
    for (let s = start; s !== END_OF_CHAIN && out.length < max; s = table[s]) {
      if (s >= seen.length) throw fail(`chaîne du ${what} hors du fichier (secteur ${s})`);
      if (seen[s]) throw fail(`chaîne du ${what} en boucle`);
      seen[s] = 1;
      out.push(s);
    }
    return out;
  }

  /** Bytes of `sectors` (of the file, or of the mini stream), cut to `size`. */
  private gather(sectors: number[], size: number, unit: number, from: Uint8Array, base: number, what: string): Uint8Array {
    if (sectors.length * unit < size) throw fail(`flux « ${what} » plus long que ses secteurs`);
    // Consecutive sectors (what office software writes) are a view of the file, not a copy.
    const first = base + sectors[0] * unit;
    if (sectors.every((s, i) => s === sectors[0] + i) && first + size <= from.length) return from.subarray(first, first + size);
    const out = new Uint8Array(size);
    for (let i = 0, done = 0; done < size; i++) {
      const offset = base + sectors[i] * unit;
      const n = Math.min(unit, size - done);
      if (offset + n > from.length) throw fail(`flux « ${what} » tronqué`);
      out.set(from.subarray(offset, offset + n), done);
      done += n;
    }
    return out;
  }

  private readDirectory(sectors: number[]): DirEntry[] {
    const entries: DirEntry[] = [];
    for (const s of sectors) {
      const base = (s + 1) * this.sectorSize;
      for (let p = base; p + DIR_ENTRY_BYTES <= base + this.sectorSize; p += DIR_ENTRY_BYTES) {
        if (p + DIR_ENTRY_BYTES > this.bytes.length) throw fail('répertoire tronqué');
        const nameBytes = Math.min(this.view.getUint16(p + 64, true), 64);
        const name = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + p, Math.max(0, nameBytes - 2) & ~1).toString('utf16le');
        entries.push({
          name,
          type: this.bytes[p + 66],
          left: this.view.getUint32(p + 68, true),
          right: this.view.getUint32(p + 72, true),
          child: this.view.getUint32(p + 76, true),
          start: this.view.getUint32(p + 116, true),
          // Version 3 files may leave garbage in the high 32 bits: only the low ones count.
          size: this.view.getUint32(p + 120, true),
        });
      }
    }
    return entries;
  }

  /** Entries directly under the root storage, walked through its red-black tree (each at most once). */
  private rootChildren(): DirEntry[] {
    const out: DirEntry[] = [];
    const seen = new Uint8Array(this.entries.length);
    const stack = [this.entries[0].child];
    while (stack.length > 0) {
      const i = stack.pop() as number;
      if (i === NO_STREAM || i >= this.entries.length || seen[i]) continue;
      seen[i] = 1;
      const e = this.entries[i];
      if (e.type === ENTRY_STREAM || e.type === ENTRY_STORAGE) out.push(e);
      stack.push(e.left, e.right);
    }
    return out;
  }

  /** Names of the streams at the top of the container (`Workbook`, `EncryptionInfo`…). */
  streamNames(): string[] {
    return this.rootChildren()
      .filter((e) => e.type === ENTRY_STREAM)
      .map((e) => e.name);
  }

  /** The stream named `name` at the top of the container (case ignored, as CFB compares names). */
  private entry(name: string) {
    const wanted = name.toUpperCase();
    return this.rootChildren().find((e) => e.type === ENTRY_STREAM && e.name.toUpperCase() === wanted);
  }

  /** Whether the container holds a stream named `name` at its top (case ignored). */
  has(name: string): boolean {
    return this.entry(name) !== undefined;
  }

  /** The bytes of the stream named `name` at the top of the container (case ignored, as CFB compares names); undefined if there is none. */
  stream(name: string): Uint8Array | undefined {
    const entry = this.entry(name);
    if (!entry) return undefined;
    if (entry.size === 0) return new Uint8Array(0);
    if (entry.size < this.miniCutoff) {
      const mini = this.readMiniStream();
      const sectors = this.chain(this.readMiniFat(), entry.start, name, Math.ceil(entry.size / this.miniSectorSize), Math.ceil(mini.length / this.miniSectorSize));
      return this.gather(sectors, entry.size, this.miniSectorSize, mini, 0, name);
    }
    const sectors = this.chain(this.fat, entry.start, name, Math.ceil(entry.size / this.sectorSize));
    return this.gather(sectors, entry.size, this.sectorSize, this.bytes, this.sectorSize, name);
  }

  private readMiniStream(): Uint8Array {
    if (!this.miniStream) {
      const root = this.entries[0];
      const sectors = this.chain(this.fat, root.start, 'mini-flux', Math.ceil(root.size / this.sectorSize));
      this.miniStream = root.size === 0 ? new Uint8Array(0) : this.gather(sectors, root.size, this.sectorSize, this.bytes, this.sectorSize, 'mini-flux');
    }
    return this.miniStream;
  }

  private readMiniFat(): Uint32Array {
    if (!this.miniFat) {
      const v = this.view;
      const sectors = this.chain(this.fat, v.getUint32(60, true), 'mini-FAT', Math.min(v.getUint32(64, true), this.sectorCount));
      const bytes = sectors.length === 0 ? new Uint8Array(0) : this.gather(sectors, sectors.length * this.sectorSize, this.sectorSize, this.bytes, this.sectorSize, 'mini-FAT');
      const table = new Uint32Array(bytes.length >> 2);
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i < table.length; i++) table[i] = dv.getUint32(i * 4, true);
      this.miniFat = table;
    }
    return this.miniFat;
  }
}
