/**
 * The territory-wide file of one schema: the rows of every tenant's current version, after
 * two columns naming the publisher, in the current version of the schema and written as a
 * tenant's own files are. Keys and names live here so the consolidate function, the
 * catalogue and the tests agree.
 */
import type { CompiledSchema } from '../schema/compile';
import type { Value } from '../schema/types';
import type { Row } from './records';

export const PUBLISHER_COLUMNS = ['publisher_id', 'publisher_siren'] as const;

/** Job name of the catalogue-level exports (DCAT, SCDL catalogue): no schema id can contain `*`. */
export const EXPORTS_JOB = '*exports';

export function consolidatedPrefix(schemaId: string): string {
  return `consolidated/${schemaId}/latest/`;
}

/** Slug of the département's dataset that lists the consolidated file (reserved prefix `consolidation-`). */
export function consolidationSlug(schemaId: string): string {
  return `consolidation-${schemaId.replace(/\//g, '-')}`;
}

export const EXPORT_KEYS = {
  dcat: 'catalog/dcat.jsonld',
  scdlCatalogue: 'catalog/catalogue.csv',
} as const;

/** `datasets/<tenant>/<slug>/latest/datapackage.json` → the dataset it announces. */
export function parseLatestDatapackageKey(key: string): { tenantId: string; slug: string } | undefined {
  const m = /^datasets\/([a-z0-9-]+)\/([a-z0-9-]+)\/latest\/datapackage\.json$/.exec(key);
  return m ? { tenantId: m[1], slug: m[2] } : undefined;
}

/**
 * How a row published in an earlier version of a schema reads in the current one, when they
 * differ by more than added or relaxed fields. BAL 1.5 (official schema-v1.5.json) is 1.4
 * with `voie_nom` renamed `toponyme` (same definition, same place) and `cle_interop` dropped:
 * its other 19 columns are 1.4's, in the same order.
 */
export interface VersionUpgrade {
  renamed: Readonly<Record<string, string>>;
  /** Fields the current version no longer has: left out, not appended as extra columns. */
  dropped: readonly string[];
}

const UPGRADES: Readonly<Record<string, VersionUpgrade>> = {
  'bal 1.4>1.5': { renamed: { voie_nom: 'toponyme' }, dropped: ['cle_interop'] },
};

/** The upgrade from version `from` of a schema to `to`; undefined when fields keep their names. */
export function versionUpgrade(schemaId: string, from: string | undefined, to: string | undefined): VersionUpgrade | undefined {
  if (from === undefined || to === undefined || from === to) return undefined;
  return UPGRADES[`${schemaId} ${from}>${to}`];
}

/** A field's name in the current version; a language variant follows its field (`voie_nom_bre` → `toponyme_bre`). */
function renamedKey(k: string, upgrade: VersionUpgrade): string {
  const direct = upgrade.renamed[k];
  if (direct !== undefined) return direct;
  for (const [from, to] of Object.entries(upgrade.renamed)) if (k.startsWith(`${from}_`) && /^[a-z]{2,3}(?:-[a-z]+)?$/.test(k.slice(from.length + 1))) return to + k.slice(from.length);
  return k;
}

/** `row` under the current version's names (a new object; `row` itself when nothing changes). */
export function upgradeRow(row: Row, upgrade: VersionUpgrade | undefined): Row {
  if (!upgrade) return row;
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (upgrade.dropped.includes(k)) continue;
    out[renamedKey(k, upgrade)] = v;
  }
  return out;
}

/** Output columns: publisher columns, the schema's fields, then any other field met in the rows. */
export function consolidatedFields(schemaFields: readonly string[], seen: Iterable<string>): string[] {
  const out: string[] = [...PUBLISHER_COLUMNS, ...schemaFields];
  const have = new Set(out);
  for (const f of seen) {
    if (!have.has(f)) {
      have.add(f);
      out.push(f);
    }
  }
  return out;
}

/**
 * Typed values (a version's data.json) → the cells of the consolidated data.csv, written as a
 * tenant's own data.csv writes them: the schema's own true/false values (`1`/`0` in a BAL,
 * `oui`/`non` for subventions), its date and number formats. Each field is formatted by the
 * first of `schemas` that has it: the current version, then the version the rows were
 * published in (for a field the current version no longer has); a field neither has is
 * written as it is.
 */
export function csvCells(fields: readonly string[], schemas: readonly CompiledSchema[]): (row: Row) => Value[] {
  const plan = schemas.map((schema) => ({ schema, at: [] as [field: number, column: number][], scratch: [] as Value[], values: [] as Value[] }));
  const done = new Set<number>();
  for (const p of plan) {
    p.schema.fieldNames.forEach((name, column) => {
      const field = fields.indexOf(name);
      if (field >= 0 && !done.has(field)) {
        done.add(field);
        p.at.push([field, column]);
      }
    });
  }
  const used = plan.filter((p) => p.at.length > 0);
  return (row) => {
    const out = fields.map((f) => row[f] ?? null);
    for (const p of used) {
      const names = p.schema.fieldNames;
      for (let c = 0; c < names.length; c++) p.values[c] = row[names[c]] ?? null;
      const cells = p.schema.cellsInto(p.values, p.scratch);
      for (const [field, column] of p.at) out[field] = cells[column];
    }
    return out;
  };
}
