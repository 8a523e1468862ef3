/**
 * Deterministic benchmark inputs, written once into the git-ignored `bench/.data/` and
 * reused while their size matches the sidecar `.meta.json` (same generator version, same
 * row count):
 * - subventions as an accounting package exports them: Windows-1252, `;`, CRLF, French
 *   dates and amounts (`1 234,56 €`, NBSP or space grouping), SIRETs typed with spaces,
 *   `oui`/`non`, some quoted fields (a `;` or doubled quotes inside); VALID against
 *   `scdl/subventions` once normalised;
 * - the same rows in canonical spelling, UTF-8, `,` (for the peer that cannot read the
 *   first file: tableschema);
 * - a BAL 1.4 file (UTF-8, `;`) of one commune, every line with its BAN ids.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { siretOf } from '../lib/local/demo-data';

export const DATA_DIR = path.join(__dirname, '.data');
const GENERATOR_VERSION = 4;
const BATCH_ROWS = 10_000;

export interface GeneratedFile {
  path: string;
  rows: number;
  bytes: number;
}

/** mulberry32: tiny, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes `rows` rows produced in batches; reuses the file when its meta and size match. */
function ensureFile(name: string, rows: number, header: string, batch: (from: number, to: number) => Buffer): GeneratedFile {
  mkdirSync(DATA_DIR, { recursive: true });
  const file = path.join(DATA_DIR, name);
  const metaFile = `${file}.meta.json`;
  if (existsSync(file) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { version: number; rows: number; bytes: number };
    if (meta.version === GENERATOR_VERSION && meta.rows === rows && statSync(file).size === meta.bytes) return { path: file, rows, bytes: meta.bytes };
  }
  const fd = openSync(file, 'w');
  let bytes = 0;
  try {
    const head = Buffer.from(header, 'latin1');
    writeSync(fd, head);
    bytes += head.length;
    for (let from = 0; from < rows; from += BATCH_ROWS) {
      const chunk = batch(from, Math.min(rows, from + BATCH_ROWS));
      writeSync(fd, chunk);
      bytes += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(metaFile, JSON.stringify({ version: GENERATOR_VERSION, rows, bytes }));
  return { path: file, rows, bytes };
}

// ---------------------------------------------------------------- subventions

const SUBVENTIONS_FIELDS = [
  'nomAttribuant', 'idAttribuant', 'dateConvention', 'referenceDecision', 'nomBeneficiaire', 'idBeneficiaire',
  'rnaBeneficiaire', 'objet', 'montant', 'nature', 'conditionsVersement', 'datesPeriodeVersement', 'idRAE',
  'notificationUE', 'pourcentageSubvention', 'dispositifAide',
];

const ATTRIBUANTS = [
  ['Commune de Saint-Étienne-de-Crossey', '213803835'],
  ['Mairie d’Écully', '216900811'],
  ['Communauté de communes du Pays de Saint-Gaudens', '200072643'],
  ['Commune de Bagnères-de-Luchon', '213100661'],
  ['Département de la Haute-Garonne', '223100017'],
  ['Commune de Montréjeau', '213103905'],
] as const;

const BENEFICIARY_KINDS = [
  'Association sportive', 'Comité des fêtes', 'Amicale laïque', 'Club de rugby', 'École de musique',
  'Les Restos du cœur – antenne', 'Foyer rural', 'Société de chasse', 'Union musicale', 'Théâtre de l’Œil',
];
const PLACES = ['de Crossey', 'du Comminges', 'de la vallée', 'd’Aspet', 'des Pyrénées', 'de Saint-Béat', 'du lycée Bagatelle'];
const OBJECTS = [
  'Fonctionnement annuel',
  'Organisation de la fête locale et du feu d’artifice',
  'Achat de matériel pédagogique pour l’atelier',
  'Stage de printemps des jeunes licenciés',
  'Aide exceptionnelle après les intempéries de l’été',
  'Participation aux frais de déplacement en compétition régionale',
];
const NATURES = ['aide en numéraire', 'aide en nature', 'aide en numéraire;aide en nature'];

interface Beneficiary {
  name: string;
  siret: string;
  rna: string;
}

function beneficiaries(n: number): Beneficiary[] {
  const rnd = prng(7);
  const out: Beneficiary[] = [];
  for (let k = 0; k < n; k++) {
    const siren = String(300_000_000 + Math.floor(rnd() * 600_000_000));
    out.push({
      name: `${BENEFICIARY_KINDS[k % BENEFICIARY_KINDS.length]} ${PLACES[k % PLACES.length]} n°${k + 1}`,
      siret: siretOf(siren, 10 + (k % 90)),
      rna: `W${String(310_000_000 + k * 37).padStart(9, '0')}`,
    });
  }
  return out;
}

const p2 = (n: number): string => (n < 10 ? '0' + n : String(n));

/** One subvention, as raw (French) cells and as canonical cells. */
interface SubventionRow {
  raw: string[];
  canonical: string[];
}

function subventionRows(): (i: number) => SubventionRow {
  const pool = beneficiaries(5000);
  const attribuants = ATTRIBUANTS.map(([name, siren]) => ({ name, siret: siretOf(siren, 13) }));
  const spaced = (s: string): string => `${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6, 9)} ${s.slice(9)}`;
  return (i) => {
    const rnd = prng(i * 2654435761);
    const a = attribuants[i % attribuants.length];
    const b = pool[Math.floor(rnd() * pool.length)];
    const year = 2019 + (i % 6);
    const month = 1 + Math.floor(rnd() * 12);
    const day = 1 + Math.floor(rnd() * 28);
    const cents = 5_000 + Math.floor(rnd() * 9_995_000);
    const euros = Math.floor(cents / 100);
    const grouped = String(euros).replace(/\B(?=(\d{3})+(?!\d))/g, i % 3 === 0 ? ' ' : '\u00a0');
    const amountFr = `${grouped},${p2(cents % 100)} €`;
    const amount = `${euros}.${p2(cents % 100)}`;
    const withSiret = i % 10 !== 3;
    const withRna = i % 4 === 0 || !withSiret;
    let objet = OBJECTS[i % OBJECTS.length] + ` ${year}`;
    let objetRaw = objet;
    if (i % 40 === 1) {
      objet += ' ; buvette et restauration';
      objetRaw = `"${objet}"`;
    } else if (i % 97 === 5) {
      objet = `Projet "Jeunes ${year}"`;
      objetRaw = `"Projet ""Jeunes ${year}"""`;
    } else if (i % 5 === 0) objetRaw = `"${objet}"`;
    const pct = i % 5 === 0 ? ['0,25', '0.25'] : i % 7 === 0 ? ['0,5', '0.5'] : ['1', '1'];
    const periode = i % 2 ? `${year}-${p2(month)}-${p2(day)}/${year}-12-31` : `${year}-${p2(month)}-${p2(day)}`;
    const notif = i % 11 === 0 ? 'oui' : 'non';
    const rae = i % 9 === 0 ? String(10000 + (i % 89999)) : '';
    const dispositif = i % 6 === 0 ? `${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}-102c-4440-ac3b-768f708edc0a` : '';
    const nature = NATURES[i % 13 === 0 ? 1 : i % 17 === 0 ? 2 : 0];
    const conditions = i % 2 ? 'échelonné' : 'unique';
    const ref = `DEL-${year}-${String(i + 1).padStart(7, '0')}`;
    const date = `${p2(day)}/${p2(month)}/${year}`;
    return {
      raw: [
        a.name, spaced(a.siret), date, ref, b.name, withSiret ? b.siret : '', withRna ? b.rna : '', objetRaw, amountFr,
        nature.includes(';') ? `"${nature}"` : nature, conditions, periode, rae, notif, pct[0], dispositif,
      ],
      canonical: [
        a.name, a.siret, `${year}-${p2(month)}-${p2(day)}`, ref, b.name, withSiret ? b.siret : '', withRna ? b.rna : '', objet,
        amount, nature, conditions, periode, rae, notif, pct[1], dispositif,
      ],
    };
  };
}

/** Windows-1252 bytes: Latin-1 plus the few characters above U+00FF that the generator uses. */
const CP1252_EXTRA: Record<string, string> = { '€': '\x80', '’': '\x92', '–': '\x96', 'œ': '\x9c', 'Œ': '\x8c' };
function windows1252(text: string): Buffer {
  return Buffer.from(
    text.replace(/[€’–œŒ]/g, (c) => CP1252_EXTRA[c]),
    'latin1',
  );
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function exportRows(row: (i: number) => SubventionRow, from: number, to: number): Buffer {
  let text = '';
  for (let i = from; i < to; i++) text += row(i).raw.join(';') + '\r\n';
  return windows1252(text);
}

/** A commune's export of `rows` rows (Windows-1252, `;`, CRLF), in memory: the benchmark file's first rows. */
export function subventionsExport(rows: number): Buffer {
  return Buffer.concat([windows1252(SUBVENTIONS_FIELDS.join(';') + '\r\n'), exportRows(subventionRows(), 0, rows)]);
}

/** The commune's export (Windows-1252, `;`) and its canonical UTF-8 `,` twin. */
export function ensureSubventions(rows: number): { raw: GeneratedFile; canonical: GeneratedFile } {
  const row = subventionRows();
  const header = SUBVENTIONS_FIELDS.join(';') + '\r\n';
  const raw = ensureFile(`subventions-${rows}.csv`, rows, header, (from, to) => exportRows(row, from, to));
  const canonical = ensureFile(`subventions-${rows}-canonical-utf8.csv`, rows, SUBVENTIONS_FIELDS.join(',') + '\r\n', (from, to) => {
    let text = '';
    for (let i = from; i < to; i++) text += row(i).canonical.map(csvCell).join(',') + '\r\n';
    return Buffer.from(text, 'utf8');
  });
  return { raw, canonical };
}

// ---------------------------------------------------------------- BAL 1.4

const BAL_FIELDS = [
  'id_ban_commune', 'id_ban_toponyme', 'id_ban_adresse', 'cle_interop', 'commune_insee', 'commune_nom',
  'commune_deleguee_insee', 'commune_deleguee_nom', 'voie_nom', 'lieudit_complement_nom', 'numero', 'suffixe',
  'position', 'x', 'y', 'long', 'lat', 'cad_parcelles', 'source', 'date_der_maj', 'certification_commune',
];
const VOIE_KINDS = ['Rue', 'Avenue', 'Impasse', 'Chemin', 'Allée', 'Place', 'Route', 'Boulevard'];
const VOIE_NAMES = ['de Chanteloup', 'du Général de Gaulle', 'des Écoles', 'de la Mairie', 'Jean Jaurès', 'du 8 Mai 1945', 'des Tilleuls', 'de l’Église'];
const NUMBERS_PER_VOIE = 100;

/** A deterministic v4-shaped UUID from two counters. */
function uuid(kind: number, n: number): string {
  const h = (n >>> 0).toString(16).padStart(12, '0');
  return `${(0x3647a1f3 + kind).toString(16)}-8909-4aee-b7a4-${h}`;
}

/** One commune's BAL (Corps-Nuds, 35088), 100 numbers per street. */
export function ensureBal(rows: number): GeneratedFile {
  return ensureFile(`bal-1.4-${rows}.csv`, rows, BAL_FIELDS.join(';') + '\r\n', balRows);
}

/** The same BAL in memory (UTF-8, `;`, CRLF), header included. */
export function balExport(rows: number): Buffer {
  return Buffer.concat([Buffer.from(BAL_FIELDS.join(';') + '\r\n'), balRows(0, rows)]);
}

function balRows(from: number, to: number): Buffer {
  let text = '';
  for (let i = from; i < to; i++) {
    const v = Math.floor(i / NUMBERS_PER_VOIE);
    const numero = 1 + (i % NUMBERS_PER_VOIE);
    const suffixe = i % 23 === 0 ? 'bis' : '';
    const code = String(1000 + (v % 9000));
    const voie = `${VOIE_KINDS[v % VOIE_KINDS.length]} ${VOIE_NAMES[Math.floor(v / VOIE_KINDS.length) % VOIE_NAMES.length]} ${v + 1}`;
    const x = (357000 + (i % 9000) + (i % 100) / 100).toFixed(2);
    const y = (6774000 + (i % 7000) + (i % 10) / 10).toFixed(2);
    const lon = (-1.6 + (i % 9000) / 100000).toFixed(7);
    const lat = (47.9 + (i % 7000) / 100000).toFixed(7);
    text +=
      [
        uuid(0, 35088), uuid(1, v), uuid(2, i), `35088_${code}_${String(numero).padStart(5, '0')}${suffixe ? '_' + suffixe : ''}`,
        '35088', 'Corps-Nuds', '', '', voie, '', String(numero), suffixe, i % 4 ? 'entrée' : 'bâtiment', x, y, lon, lat,
        `350088000AB${String(i % 10000).padStart(4, '0')}`, 'Rennes Métropole', `202${i % 4}-0${1 + (i % 9)}-15`, i % 5 ? '1' : '0',
      ].join(';') + '\r\n';
  }
  return Buffer.from(text, 'utf8');
}
