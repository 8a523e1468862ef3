import type { Report } from './report';

const escape = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Short French explanations of the issue codes, for the publisher reading the report. */
const CODE_HELP: Record<string, string> = {
  'type-error': 'valeur du mauvais type (date, nombre, booléen…)',
  required: 'valeur obligatoire manquante',
  pattern: 'valeur qui ne respecte pas le format attendu',
  enum: 'valeur hors de la liste autorisée',
  unique: 'valeur en double dans une colonne qui doit être unique',
  'primary-key': 'identifiant de ligne en double',
  'missing-column': 'colonne obligatoire absente',
  'extra-column': 'colonne inconnue du schéma (ignorée)',
  'duplicate-column': 'colonne présente deux fois',
  'missing-cell': 'ligne trop courte',
  'extra-cell': 'ligne trop longue',
  siret: 'numéro SIRET invalide',
  'invalid-encoding': 'encodage des caractères non reconnu',
  'unknown-format': 'format de fichier non reconnu',
  'empty-file': 'fichier vide',
  'header-only': 'fichier sans aucune ligne de données',
};

/** The validation report as a French HTML page: what a secretary of the mairie reads to fix the file. */
export function renderReportHtml(report: Report, title: string): string {
  const codes = Object.entries(report.codes).sort((a, b) => b[1] - a[1]);
  const rows = report.issues
    .map(
      (i) =>
        `<tr class="${i.severity}"><td>${i.row ?? ''}</td><td>${escape(i.column)}</td><td><code>${escape(i.value)}</code></td><td>${escape(i.message)}</td><td><code>${escape(i.code)}</code></td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Rapport de validation — ${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}tr.warning{background:#fff8e1}tr.error{background:#fdecea}.ok{color:#1b5e20}.ko{color:#b71c1c}</style>
</head><body>
<h1>Rapport de validation</h1>
<p><strong>${escape(title)}</strong>${report.schema ? ` — schéma <code>${escape(report.schema.id)}</code> version ${escape(report.schema.version)}` : ''}</p>
<p class="${report.valid ? 'ok' : 'ko'}">${escape(report.summary)}</p>
<p>Fichier : ${escape(report.file.format ?? 'inconnu')}${report.file.encoding ? `, encodage ${escape(report.file.encoding)}` : ''}${report.file.delimiter ? `, séparateur « ${escape(report.file.delimiter)} »` : ''}, ${report.rowCount} ligne(s) lue(s).</p>
${codes.length ? `<h2>Problèmes par type</h2><table><tr><th>Code</th><th>Signification</th><th>Nombre</th></tr>${codes.map(([c, n]) => `<tr><td><code>${escape(c)}</code></td><td>${escape(CODE_HELP[c] ?? '')}</td><td>${n}</td></tr>`).join('')}</table>` : ''}
${rows ? `<h2>Détail${report.truncated ? ` (les ${report.issues.length} premiers sur ${report.errorCount + report.warningCount})` : ''}</h2><table><tr><th>Ligne</th><th>Colonne</th><th>Valeur</th><th>Message</th><th>Code</th></tr>\n${rows}\n</table>` : ''}
</body></html>
`;
}
