import { luhnValid } from '../../functions/domain/schema/luhn';

/** A SIRET from a SIREN and an establishment number, with its Luhn key computed. */
export function siretOf(siren: string, nic: number): string {
  const base = siren + String(nic).padStart(4, '0');
  for (let d = 0; d <= 9; d++) if (luhnValid(base + d)) return base + d;
  throw new Error('unreachable: one key digit always fits');
}

const BENEFICIARIES = [
  ['Comité des fêtes', '775672272', 'W313000001'],
  ['Association sportive du collège', '784671695', 'W313000002'],
  ['Club de rugby', '338168011', 'W313000003'],
  ['Amicale des donneurs de sang', '442395448', 'W313000004'],
  ['École de musique intercommunale', '552081317', 'W313000005'],
  ['Les Restos du cœur – antenne locale', '409157708', 'W313000006'],
] as const;

const OBJECTS = ['Fonctionnement annuel', 'Organisation de la fête locale', 'Achat de matériel', 'Stage de printemps', 'Aide exceptionnelle'];

/**
 * A subventions file as a commune's accounting software exports it: Windows-1252, `;`,
 * CRLF, French dates and amounts, `oui`/`non`. The standardizer turns it into the SCDL format.
 */
export function demoSubventionsCsv(opts: { attribuant: string; siren: string; year: number; rows: number }): Buffer {
  const header =
    'nomAttribuant;idAttribuant;dateConvention;referenceDecision;nomBeneficiaire;idBeneficiaire;rnaBeneficiaire;objet;montant;nature;conditionsVersement;datesPeriodeVersement;idRAE;notificationUE;pourcentageSubvention;dispositifAide';
  const lines = [header];
  for (let i = 0; i < opts.rows; i++) {
    const [name, siren, rna] = BENEFICIARIES[i % BENEFICIARIES.length];
    const day = String(1 + ((i * 7) % 28)).padStart(2, '0');
    const month = String(1 + (i % 12)).padStart(2, '0');
    const amount = (500 + ((i * 7919) % 24500) + (i % 3) * 0.5).toFixed(2).replace('.', ',');
    const grouped = amount.replace(/\B(?=(\d{3})+(?!\d))/, '\u00a0');
    lines.push(
      [
        opts.attribuant,
        siretOf(opts.siren, 10 + (i % 3)).replace(/(\d{3})(\d{3})(\d{3})(\d{5})/, '$1 $2 $3 $4'),
        `${day}/${month}/${opts.year}`,
        `DEL-${opts.year}-${String(i + 1).padStart(3, '0')}`,
        name,
        siretOf(siren, 17),
        rna,
        `"${OBJECTS[i % OBJECTS.length]}"`,
        `${grouped} €`,
        'aide en numéraire',
        i % 2 ? 'échelonné' : 'unique',
        `${opts.year}-${month}-${day}/${opts.year}-12-31`,
        '',
        i % 4 === 0 ? 'oui' : 'non',
        i % 5 === 0 ? '1' : '0,25',
        '',
      ].join(';'),
    );
  }
  return encodeWindows1252(lines.join('\r\n') + '\r\n');
}

/** Windows-1252 for the characters the demo uses: Latin-1, plus € (0x80) and the French quotes and dashes. */
function encodeWindows1252(text: string): Buffer {
  const extra: Record<string, number> = { '€': 0x80, '’': 0x92, '–': 0x96, '—': 0x97, '“': 0x93, '”': 0x94, 'œ': 0x9c };
  const out = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const mapped = c < 0x100 ? c : extra[text[i]];
    if (mapped === undefined) throw new Error(`demo data: « ${text[i]} » has no Windows-1252 byte`);
    out[i] = mapped;
  }
  return out;
}
