import type { FieldHelp, ValidationIssue } from '../schema/types';
import { nameWords, summable, type ColumnStats, type TableStats } from './column-stats';
import { frenchCount, plural, type Report } from './report';

const escape = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Short French explanations of the issue codes, for the publisher reading the report (a code without one shows its first message). */
export const CODE_HELP: Record<string, string> = {
  'type-error': 'valeur du mauvais type (date, nombre, booléen…)',
  required: 'valeur obligatoire manquante',
  pattern: 'valeur qui ne respecte pas le format attendu',
  enum: 'valeur hors de la liste autorisée',
  minimum: 'valeur trop petite',
  maximum: 'valeur trop grande',
  'min-length': 'texte trop court',
  'max-length': 'texte trop long',
  unique: 'valeur en double dans une colonne qui doit être unique',
  'primary-key': 'identifiant de ligne en double',
  'missing-column': 'colonne du schéma absente (obligatoire : à ajouter ; recommandée : le fichier est accepté sans elle)',
  'extra-column': 'colonne inconnue du schéma (ignorée)',
  'column-renamed': 'colonne sans nom ou au nom déjà pris (jeu sans schéma) : publiée sous un nom à elle',
  'duplicate-column': 'colonne présente deux fois',
  'header-renamed': 'colonnes reconnues sous un autre nom que celui du schéma (majuscules, accents, espaces, intitulé) : le fichier est accepté, renommez-les dans votre modèle',
  'missing-cell': 'ligne trop courte',
  'extra-cell': 'ligne trop longue',
  'blank-row': 'ligne vide (ignorée)',
  'title-rows': 'lignes de titre au-dessus des noms de colonnes (ignorées)',
  'total-row': 'ligne de total (ignorée)',
  'note-row': 'intertitre ou note d’une seule cellule entre les lignes du tableau (ignorée)',
  siret: 'numéro SIRET invalide : vérifiez-le sur annuaire-entreprises.data.gouv.fr',
  'one-of-required': 'aucune des colonnes dont l’une est obligatoire n’est remplie',
  'compare-columns': 'deux colonnes qui ne se comparent pas comme il faut',
  'sum-columns': 'total qui n’est pas la somme des colonnes',
  'cohesive-columns': 'colonnes à remplir ensemble, remplies en partie',
  'year-interval': 'période d’années invalide',
  'nomenclature-actes': 'nomenclature des actes invalide',
  'matiere-mismatch': 'code de matière qui ne correspond pas au nom de matière (nomenclature ACTES)',
  'schema-outdated': 'schéma enregistré avant des règles plus strictes : à corriger par l’administrateur avant tout dépôt',
  'formula-prefix': 'valeur commençant par = + - @ : publiée précédée d’une apostrophe, elle ne respecterait plus le format de la colonne',
  'formula-error': 'formule en erreur dans le tableur (#N/A, #REF!…)',
  'time-dropped': 'date accompagnée d’une heure : seule la date est publiée',
  'phone-zero-restored': 'numéro de téléphone qui avait perdu son 0 initial (cellule au format nombre) : vérifiez le numéro publié',
  'scheme-added': 'adresse web sans https:// : le protocole est ajouté, vérifiez le lien publié',
  'zero-restored': 'code qui avait perdu ses zéros initiaux (cellule au format nombre) : vérifiez le code publié',
  'decimal-point-ambiguous': 'nombre écrit avec un point avant trois chiffres (12.500) : décimales ou milliers ? écrivez 12500 ou 12,5',
  'two-row-header': 'noms de colonnes sur deux lignes, lues ensemble',
  'coordinates-swapped': 'latitude et longitude qui semblent inversées',
  'point-outside-france': 'point hors de France',
  'sheet-chosen': 'classeur de plusieurs onglets remplis (ou page de plusieurs tableaux) : un seul est publié par dépôt',
  'tables-joined': 'page web de plusieurs tableaux aux mêmes colonnes : leurs lignes sont lues à la suite',
  'merged-cells': 'cellules fusionnées sur plusieurs lignes : la valeur est recopiée sur chaque ligne',
  'hidden-rows': 'lignes masquées ou filtrées dans le classeur : elles sont publiées comme les autres',
  'hidden-columns': 'colonnes du schéma masquées dans le classeur : elles sont publiées comme les autres',
  'bal-address-incomplete': 'adresse incomplète : il faut un numéro et un nom de voie ou de toponyme valides',
  'bal-ban-ids-incomplete': 'identifiants BAN incomplets : une fois l’un donné, tous sont attendus',
  'bal-ban-ids-partial': 'identifiants BAN sur une partie des lignes seulement : sur toutes ou sur aucune',
  'bal-toponyme-from-voie-nom': 'toponyme vide : le nom de la colonne voie_nom y est publié',
  'bal-voie-nom-from-toponyme': 'voie_nom vide : le nom de la colonne toponyme y est publié',
  'bal-cad-parcelles-pipe': 'parcelles cadastrales à séparer par une barre verticale (|)',
  'bal-cle-interop-case': 'clé d’interopérabilité à écrire en minuscules',
  'bal-cle-interop-numero': 'numéro de la clé d’interopérabilité invalide',
  'bal-cle-interop-numero-mismatch': 'clé d’interopérabilité dont le numéro diffère de la colonne numero',
  'bal-cle-interop-numero-padding': 'numéro de la clé d’interopérabilité à écrire sur 5 chiffres',
  'bal-cle-interop-structure': 'clé d’interopérabilité mal formée (code INSEE_voie_numéro)',
  'bal-cle-interop-voie': 'code de voie de la clé d’interopérabilité invalide',
  'bal-column-case': 'noms de colonnes à écrire en minuscules, exactement comme dans le schéma',
  'bal-column-missing': 'colonne attendue dans une BAL absente',
  'bal-column-renamed': 'colonne lue sous un autre nom que celui, exact, qu’une BAL lui donne',
  'bal-commune-missing': 'commune non renseignée',
  'bal-date-future': 'date de mise à jour dans le futur',
  'bal-date-invalid': 'date invalide (AAAA-MM-JJ attendue)',
  'bal-date-old': 'date de mise à jour antérieure à 2010',
  'bal-decimal-comma': 'coordonnée écrite avec une virgule au lieu d’un point',
  'bal-delimiter': 'séparateur autre que le point-virgule',
  'bal-empty': 'fichier sans adresse',
  'bal-encoding': 'encodage autre que UTF-8',
  'bal-id-ban-invalid': 'identifiant BAN invalide (un UUID est attendu)',
  'bal-invalid-character': 'caractère non autorisé',
  'bal-invalid-value': 'valeur non autorisée',
  'bal-linebreak': 'fins de ligne autres que LF ou CRLF',
  'bal-longlat-missing': 'adresse sans coordonnées',
  'bal-longlat-outside-france': 'coordonnées hors de France',
  'bal-longlat-xy-mismatch': 'coordonnées x/y et long/lat qui ne désignent pas le même point',
  'bal-missing-value': 'colonne à renseigner',
  'bal-multiple-communes': 'plusieurs communes dans un même fichier (une BAL par commune)',
  'bal-name-case': 'nom écrit tout en majuscules ou tout en minuscules',
  'bal-name-too-short': 'nom trop court',
  'bal-name-underscore': 'nom contenant un tiret bas (_)',
  'bal-numero-leading-zero': 'numéro commençant par un zéro',
  'bal-numero-not-integer': 'numéro qui n’est pas un nombre entier',
  'bal-numero-too-large': 'numéro trop grand',
  'bal-numero-zero': 'numéro 0, non autorisé',
  'bal-position-missing': 'type de position absent',
  'bal-position-spelling': 'type de position mal orthographié',
  'bal-rule': 'règle de la Base Adresse Locale non respectée',
  'bal-suffixe-character': 'suffixe contenant autre chose que des lettres, des chiffres et des espaces',
  'bal-suffixe-start': 'suffixe qui doit commencer par une lettre ou un chiffre',
  'bal-surrounding-spaces': 'espaces en début ou en fin de valeur',
  'bal-too-long': 'valeur trop longue',
  'bal-ban-ids-left-out': 'identifiants BAN donnés par une partie des trois colonnes id_ban_* : non publiés',
  'bal-uid-adresse': 'colonne uid_adresse (BAL 1.3) non publiée : ses identifiants BAN vont dans les colonnes id_ban_*',
  'wrong-dataset': 'fichier dont les colonnes sont celles d’un autre jeu de données',
  'other-publisher': 'fichier qui semble être celui d’une autre collectivité (SIRET ou code INSEE)',
  'hyperlink-target': 'cellules qui sont des liens : l’adresse du lien est publiée, et non le texte affiché',
  'hyperlink-local': 'liens vers des fichiers de l’ordinateur : mettez les documents en ligne et écrivez leur adresse',
  'invalid-encoding': 'encodage des caractères non reconnu',
  'unterminated-quote': 'guillemet jamais refermé',
  'row-too-large': 'ligne anormalement longue (guillemet mal fermé ?)',
  'invalid-zip': 'classeur abîmé ou incomplet',
  'encrypted-file': 'classeur protégé par un mot de passe',
  'zip-too-large': 'classeur trop volumineux une fois décompressé',
  'invalid-spreadsheet': 'classeur illisible',
  'invalid-json': 'JSON mal formé',
  'invalid-json-shape': 'JSON qui n’est pas un tableau d’enregistrements',
  'file-too-large': 'fichier plus gros que la taille annoncée',
  'unknown-format': 'format de fichier non reconnu',
  'empty-file': 'fichier vide',
  'header-only': 'fichier sans aucune ligne de données',
};

/** A run of issues with the same code, column and value: one line of the report, with every row it occurs on. */
interface Group {
  issue: ValidationIssue;
  rows: number[];
}

/** Groups issues by code, column and value, in the order they first occur; file-level issues stay alone. */
function groupIssues(issues: readonly ValidationIssue[]): Group[] {
  const groups: Group[] = [];
  const byKey = new Map<string, Group>();
  for (const issue of issues) {
    if (issue.row === undefined) {
      groups.push({ issue, rows: [] });
      continue;
    }
    const key = `${issue.severity}\u0000${issue.code}\u0000${issue.column ?? ''}\u0000${issue.value ?? ''}\u0000${issue.message}`;
    const g = byKey.get(key);
    if (g) g.rows.push(issue.row);
    else {
      const created = { issue, rows: [issue.row] };
      byKey.set(key, created);
      groups.push(created);
    }
  }
  return groups;
}

/** `2 à 5, 9, 12 à 14` (at most `maxRuns` runs, then how many rows more). */
export function rowRanges(rows: readonly number[], maxRuns = 12): string {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const runs: string[] = [];
  let shown = 0;
  for (let i = 0; i < sorted.length && runs.length < maxRuns; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    runs.push(j === i ? String(sorted[i]) : j === i + 1 ? `${sorted[i]}, ${sorted[j]}` : `${sorted[i]} à ${sorted[j]}`);
    shown += j - i + 1;
    i = j + 1;
  }
  const more = sorted.length - shown;
  return runs.join(', ') + (more > 0 ? ` et ${plural(more, 'autre', 'autres')}` : '');
}

function rowsCell(rows: readonly number[]): string {
  if (rows.length === 0) return '';
  const n = new Set(rows).size;
  return n === 1 ? `ligne ${rows[0]}` : `lignes ${rowRanges(rows)} (${plural(n, 'ligne', 'lignes')})`;
}

/** Issues of an empty cell, which some give without a value. */
const EMPTY_CELL_CODES = new Set(['required', 'missing-cell']);

function groupRow(g: Group): string {
  const i = g.issue;
  // « (vide) » is an empty cell: an issue with no value (of the file, of a row, of two cells) shows nothing.
  const empty = i.value === '' || (i.value === undefined && EMPTY_CELL_CODES.has(i.code) && i.row !== undefined && i.row > 1);
  const value = empty ? '<em>(vide)</em>' : i.value === undefined ? '' : `<code>${escape(i.value)}</code>`;
  const severity = i.severity === 'error' ? 'À corriger' : 'Pour information';
  return `<tr class="${i.severity}"><td>${severity}</td><td>${value}</td><td>${escape(i.message)}</td><td>${escape(rowsCell(g.rows))}</td><td><code>${escape(i.code)}</code></td></tr>`;
}

const GROUP_HEAD = '<tr><th>Gravité</th><th>Valeur</th><th>Problème</th><th>Où</th><th>Code</th></tr>';

const SEPARATORS: Record<string, string> = { ';': '« ; » (point-virgule)', ',': '« , » (virgule)', '\t': 'tabulation', '|': '« | » (barre verticale)' };

function columnSection(name: string, groups: readonly Group[], help: FieldHelp | undefined, truncated: boolean): string {
  const count = (severity: ValidationIssue['severity']): number => groups.reduce((n, g) => n + (g.issue.severity === severity ? Math.max(1, g.rows.length) : 0), 0);
  const errors = count('error');
  const warnings = count('warning');
  const counts =
    [errors ? plural(errors, 'erreur', 'erreurs') : '', warnings ? plural(warnings, 'avertissement', 'avertissements') : ''].filter(Boolean).join(', ') +
    (truncated ? ' dans le détail' : '');
  const guide = [
    help?.description ? `<p>${escape(help.description)}</p>` : '',
    help?.example !== undefined ? `<p>Exemple de valeur attendue : <code>${escape(help.example)}</code></p>` : '',
  ].join('');
  // Where the employee finds it: the file's own heading and the column's letter.
  const where = help?.column ? `<p>Dans le fichier : ${help.heading ? `« ${escape(help.heading)} », ` : ''}colonne ${escape(help.column)}.</p>` : '';
  return `<section><h3>Colonne <code>${escape(name)}</code>${help?.title ? ` — ${escape(help.title)}` : ''} <small>(${counts})</small></h3>${where}${guide}
<table>${GROUP_HEAD}
${groups.map(groupRow).join('\n')}
</table></section>`;
}

/**
 * The validation report as a French HTML page: what a secretary of the mairie reads to fix
 * the file. Problems are grouped column by column, each column with what the schema says of
 * it and an example of a valid value; the same problem with the same value is one line with
 * every row it occurs on, so that a mistake repeated down a column reads once.
 */
/**
 * A rejected file of a schema: where its blank template is (domain/schema/template.ts), to
 * start again from the right columns; absolute when the API's address is known (a report
 * saved from the browser keeps a working link).
 */
function templateHint(report: Report, apiBase = ''): string {
  // A file that could not be read as a table (empty, the blank template itself) is no matter of columns.
  if (report.valid || !report.schema || report.codes['header-only'] || report.codes['empty-file']) return '';
  const { id, version } = report.schema;
  const href = `${apiBase}/v1/catalog/templates/${id.split('/').map(encodeURIComponent).join('/')}.xlsx${version ? `?version=${encodeURIComponent(version)}` : ''}`;
  return `<p>Pour repartir de colonnes au bon format : <a href="${escape(href)}">téléchargez le modèle à remplir (.xlsx)</a>, où chaque colonne est déjà au bon format (texte, date) et décrite.</p>
`;
}

/** What became of the upload the report is of (the publisher API's upload view). */
export interface ReportUpload {
  status: string;
  version?: number;
  current?: boolean;
  notice?: string;
}

/** What the row numbers of the report count: the file's lines, or a JSON document's items (DECP: its contracts). */
function rowNumbering(report: Report): string {
  if (report.file.format === 'html') return 'Les numéros de ligne sont ceux des lignes du tableau de la page, la première comprise (celle des noms de colonnes, sauf titre au-dessus).';
  if (report.file.format !== 'json') return 'Les numéros de ligne sont ceux du fichier déposé, tels qu’un tableur les affiche (titres au-dessus des noms de colonnes compris).';
  if (report.schema?.id === 'decp') {
    return 'Le fichier est un JSON : la « ligne » 2 est son premier contrat, la ligne 3 le deuxième, et ainsi de suite (au format 2.0.3, les marchés d’abord, puis les contrats de concession ; au format 2.0.2, dans l’ordre de la liste « marches »).';
  }
  return 'Le fichier est un JSON : la « ligne » 2 est le premier élément de son tableau, la ligne 3 le deuxième, et ainsi de suite.';
}

/** The line under the summary saying which version the file is and whether it is online: a duplicate publishes nothing new. */
function uploadLine(upload: ReportUpload | undefined): string {
  if (!upload || upload.version === undefined) return '';
  if (upload.notice) return `<p>${escape(upload.notice)}</p>\n`;
  if (upload.status === 'duplicate') return `<p>Ce fichier est identique à la version ${upload.version}, déjà publiée et en ligne : aucune nouvelle version n’a été créée.</p>\n`;
  if (upload.status === 'published') return `<p>Publié comme version ${upload.version}${upload.current ? ', en ligne' : ''}.</p>\n`;
  return '';
}

/** A number as French writes it: `1 234,5` (narrow no-break spaces between thousands). */
export function frenchNumber(n: number): string {
  const text = String(Math.abs(n));
  const sign = n < 0 ? '-' : '';
  if (!/^\d+(\.\d+)?$/.test(text)) return sign + text.replace('.', ',');
  const [int, decimals] = text.split('.');
  return sign + frenchCount(Number(int)) + (decimals ? ',' + decimals : '');
}

/** Words of the name of an integer column of years (`annee`, `exercice`). */
const YEAR_WORDS = new Set(['annee', 'exercice', 'year', 'millesime']);

/** A column of years, written without a space (2024): a `year` column, or integers from 1000 to 9999 named so (`annee`, not `nb_annees` nor `budget_annee`). */
function yearColumn(c: ColumnStats): boolean {
  if (c.type === 'year') return true;
  if (c.type !== 'integer' || typeof c.min !== 'number' || typeof c.max !== 'number' || c.min < 1000 || c.max > 9999) return false;
  return nameWords(c.name).some((w) => YEAR_WORDS.has(w)) && !summable(c.name);
}

/**
 * A published value as a French reader reads it: dates `31/12/2024`, months `03/2024`,
 * date-times `01/03/2024 00:30 (UTC+01:00)`, numbers `1 234,5` (years `2024`), booleans oui/non.
 */
function shown(v: string | number | boolean, c: Pick<ColumnStats, 'type' | 'proportion'>, years = false): string {
  // A share: 0.05 is 5 % (as the cell was likely typed).
  if (typeof v === 'number' && c.proportion) return `${frenchNumber(Number((v * 100).toPrecision(12)))}\u00a0%`;
  if (typeof v === 'number') return years ? String(v) : frenchNumber(v);
  if (typeof v === 'boolean') return v ? 'oui' : 'non';
  const date = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}:\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(v);
  if (date) {
    const day = `${date[3]}/${date[2]}/${date[1]}`;
    if (date[4] === undefined) return day;
    const time = date[5] && date[5] !== '00' ? `${date[4]}:${date[5]}` : date[4];
    const zone = date[6] === undefined ? '' : date[6] === 'Z' ? ' (UTC)' : ` (UTC${date[6]})`;
    return `${day} ${time}${zone}`;
  }
  const month = c.type === 'yearmonth' ? /^(\d{4})-(\d{2})$/.exec(v) : null;
  return month ? `${month[2]}/${month[1]}` : v;
}

function percent(part: number, whole: number): string {
  if (whole === 0 || part === whole) return whole === 0 ? '' : '100\u00a0%';
  const p = (100 * part) / whole;
  // Never « 100 % » for a column with an empty cell, nor « 0 % » for one with a value.
  const text = p > 99.9 ? '> 99,9' : p < 0.1 ? '< 0,1' : p.toFixed(1).replace('.', ',');
  return `${text}\u00a0%`;
}

/** Filled in fewer rows than this share: pointed out (a column perhaps misnamed, or filled by mistake). */
const SPARSE = 0.1;

function statsColumn(c: ColumnStats, rows: number): string {
  const where = c.absent ? 'absente du fichier' : c.heading ? `colonne ${escape(c.column)} « ${escape(c.heading)} »` : c.column ? `colonne ${escape(c.column)}` : '';
  const name = `<code>${escape(c.name)}</code>${c.title ? `<br><small>${escape(c.title)}</small>` : ''}${where ? `<br><small>${where}</small>` : ''}`;
  let filled: string;
  if (c.absent) filled = `aucune : colonne absente${c.required ? '' : ' (facultative)'}`;
  else if (c.filled === 0) filled = '<strong>vide</strong>';
  else filled = `${frenchCount(c.filled)} (${percent(c.filled, rows)})`;
  const distinct =
    c.filled === 0 ? '' : c.distinct !== undefined ? frenchCount(c.distinct) : c.distinctOver !== undefined ? `plus de ${frenchCount(c.distinctOver)}` : c.longText ? 'texte libre, non comptées' : '';
  const years = yearColumn(c);
  const top =
    c.sameCount !== undefined
      ? `toutes à égalité (${plural(c.sameCount, 'fois', 'fois')} chacune)`
      : (c.top ?? []).map((t) => `${escape(shown(t.value, c, years))} (${frenchCount(t.count)})`).join(' ; ');
  let range = c.min === undefined ? '' : c.min === c.max ? escape(shown(c.min, c, years)) : `${escape(shown(c.min, c, years))} à ${escape(shown(c.max!, c, years))}`;
  if (range && c.rangeLeavesOut !== undefined) range += ` <small>(hors ${escape(String(c.rangeLeavesOut))})</small>`;
  const sum = c.sum === undefined ? '' : escape(frenchNumber(c.sum));
  const sparse = !c.absent && c.filled < SPARSE * rows;
  return `<tr${sparse ? ' class="warning"' : ''}><td>${name}</td><td>${filled}</td><td>${distinct}</td><td>${top}</td><td>${range}</td><td>${sum}</td></tr>`;
}

function statsSection(stats: TableStats): string {
  const rows = stats.columns.map((c) => statsColumn(c, stats.rows));
  const left = stats.columnsLeftOut ? `<p>Les ${frenchCount(stats.columnsLeftOut)} dernières colonnes ne sont pas décrites ici (trop de colonnes).</p>` : '';
  const typed = stats.columns.some((c) => c.type !== undefined);
  const what = typed
    ? 'les cellules remplies, les valeurs différentes, les plus fréquentes (vues plus d’une fois), l’étendue des nombres et des dates, le total des montants et des effectifs'
    : 'les cellules remplies, les valeurs différentes et les plus fréquentes (vues plus d’une fois). Sans schéma, chaque valeur est publiée comme un texte : ni étendue, ni total';
  return `<h2>Ce qui est publié, colonne par colonne</h2>
<p>Sur ${plural(stats.rows, 'ligne publiée', 'lignes publiées')} : ${what}. Sur fond jaune, une colonne de votre fichier vide ou remplie sur moins d’une ligne sur dix : vérifiez qu’il n’y manque pas des valeurs. Une colonne facultative absente est publiée vide ; si votre fichier l’a sous un autre nom, renommez-la.</p>
<table><tr><th>Colonne</th><th>Remplie</th><th>Valeurs différentes</th><th>Les plus fréquentes</th><th>De … à …</th><th>Total</th></tr>
${rows.join('\n')}
</table>${left}`;
}

export function renderReportHtml(report: Report, title: string, opts: { upload?: ReportUpload; apiBase?: string } = {}): string {
  const codes = Object.entries(report.codes).sort((a, b) => b[1] - a[1]);
  const groups = groupIssues(report.issues);
  // Issues of the whole file or of its header line; the others go under their column.
  // Errors first: what refuses the file comes before what is said for information.
  const fileWide = groups
    .filter((g) => g.issue.column === undefined || g.issue.row === undefined || g.issue.row <= 1)
    .sort((a, b) => (a.issue.severity === b.issue.severity ? 0 : a.issue.severity === 'error' ? -1 : 1));
  const wide = new Set(fileWide);
  const byColumn = new Map<string, Group[]>();
  for (const g of groups) {
    if (wide.has(g)) continue;
    const list = byColumn.get(g.issue.column!) ?? [];
    list.push(g);
    byColumn.set(g.issue.column!, list);
  }
  const firstMessage = new Map<string, string>();
  for (const i of report.issues) if (!firstMessage.has(i.code)) firstMessage.set(i.code, i.message);
  const meaning = (code: string): string => CODE_HELP[code] ?? (firstMessage.has(code) ? `par exemple : ${firstMessage.get(code)}` : '');
  const total = report.errorCount + report.warningCount;

  const parts: string[] = [];
  if (report.truncated) {
    const last = report.issues.reduce((m, i) => Math.max(m, i.row ?? 0), 0);
    parts.push(
      `<p>Le détail ci-dessous porte sur les ${frenchCount(report.issues.length)} premiers problèmes sur ${frenchCount(total)} et s’arrête à la ligne ${last} : la même erreur peut se répéter plus bas. Les comptes par type portent sur tous. Corrigez-les, puis déposez à nouveau le fichier pour voir la suite.</p>`,
    );
  }
  if (fileWide.length) {
    parts.push(`<h2>Problèmes sur l’ensemble du fichier</h2><table>${GROUP_HEAD}
${fileWide.map(groupRow).join('\n')}
</table>`);
  }
  if (byColumn.size) {
    parts.push(
      `<h2>Détail, colonne par colonne</h2><p>« À corriger » (fond rouge) empêche la publication ; « Pour information » (fond jaune) est un conseil. ${rowNumbering(report)}</p>`,
      ...[...byColumn].map(([name, list]) => columnSection(name, list, report.columns?.[name], report.truncated)),
    );
  }
  if (report.stats) parts.push(statsSection(report.stats));
  if (codes.length) {
    parts.push(
      `<h2>Problèmes par type</h2><table><tr><th>Code</th><th>Signification</th><th>Nombre</th></tr>${codes
        .map(([c, n]) => `<tr><td><code>${escape(c)}</code></td><td>${escape(meaning(c))}</td><td>${frenchCount(n)}</td></tr>`)
        .join('')}</table>`,
    );
  }

  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Rapport de validation — ${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}tr.warning{background:#fff8e1}tr.error{background:#fdecea}.ok{color:#1b5e20}.ko{color:#b71c1c}h3 small{font-weight:normal}</style>
</head><body>
<h1>Rapport de validation</h1>
<p><strong>${escape(title)}</strong>${report.schema ? ` — schéma ${report.schema.title ? `« ${escape(report.schema.title)} » (<code>${escape(report.schema.id)}</code>)` : `<code>${escape(report.schema.id)}</code>`} version ${escape(report.schema.version)}` : ''}</p>
<p class="${report.valid ? 'ok' : 'ko'}">${escape(report.summary)}</p>
${uploadLine(opts.upload)}${templateHint(report, opts.apiBase)}<p>Fichier : ${escape(report.file.format?.toUpperCase() ?? 'format inconnu')}${report.file.encoding ? `, encodage ${escape(report.file.encoding.toUpperCase())}` : ''}${report.file.delimiter ? `, séparateur ${escape(SEPARATORS[report.file.delimiter] ?? `« ${report.file.delimiter} »`)}` : ''}, ${plural(report.rowCount, 'ligne lue', 'lignes lues')}.</p>
${parts.join('\n')}
</body></html>
`;
}
