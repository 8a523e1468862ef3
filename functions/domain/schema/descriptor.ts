/**
 * Parsing of Table Schema descriptors at the boundary: a custom schema POSTed by an admin
 * (`parseSchemaDescriptor`, strict: unknown keys are typos) and an official SCDL
 * `schema.json` (`fromFrictionless`, lenient about metadata keys, then the same checks).
 * Everything the compiler relies on is verified here (types, formats, compilable patterns,
 * enum/minimum types, field references), so compileSchema never meets a bad descriptor.
 */
import { z } from 'zod';
import { CONTROL_CHARACTERS } from '../control-characters';
import { CUSTOM_CHECKS } from './custom-checks';
import { isIsoDate, isIsoDateTime } from './normalize-fr';
import { linearTimeProblem } from './regexp-engine';
import type { FieldDescriptor, TableSchemaDescriptor } from './types';

export const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'year', 'yearmonth', 'any'] as const;
type FieldType = FieldDescriptor['type'];

const STRING_FORMATS = new Set(['default', 'email', 'uri', 'uuid', 'binary']);
const TIME_FORMATS = new Set(['default', 'any']);

export interface SchemaDescriptorIssue {
  path: string;
  message: string;
}

export class SchemaDescriptorError extends Error {
  readonly code = 'invalid_schema';
  readonly status = 400;
  readonly expose = true;
  constructor(readonly details: SchemaDescriptorIssue[]) {
    super(
      `Schéma invalide (${details.length} problème${details.length > 1 ? 's' : ''}) : ` +
        details.map((d) => (d.path ? `${d.path} : ${d.message}` : d.message)).join(' ; '),
    );
    this.name = 'SchemaDescriptorError';
  }
}

/** `^(?:p)$`: Frictionless matches a pattern against the whole value. */
export function anchoredPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

/** A schema id: lower-case words joined by `-` or `/` (`scdl/subventions`), as routes and datasets name it. */
export const SCHEMA_ID = /^[a-z0-9]+(?:[-/][a-z0-9]+)*$/;

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const stringList = z.array(z.string());

const constraintsSchema = z.strictObject({
  required: z.boolean().optional(),
  unique: z.boolean().optional(),
  minLength: z.number().int().nonnegative().optional(),
  maxLength: z.number().int().nonnegative().optional(),
  minimum: z.union([z.number(), z.string()]).optional(),
  maximum: z.union([z.number(), z.string()]).optional(),
  pattern: z.string().optional(),
  enum: z.array(scalar).min(1).optional(),
});

/** Text that must say something: not empty nor only spaces, at most `max` characters. */
const filled = (max: number) =>
  z
    .string()
    .max(max, { error: `trop long (${max} caractères au plus)` })
    .refine((v) => v.trim() !== '', { error: 'vide ou fait seulement d’espaces' });
/** Text that may be empty, at most `max` characters. */
const bounded = (max: number) => z.string().max(max, { error: `trop long (${max} caractères au plus)` });

/** A name, a title or a version holds no control character (control-characters.ts). */
const noControl = (v: string): boolean => !CONTROL_CHARACTERS.test(v);
const NO_CONTROL = { error: 'caractère de contrôle (saut de ligne, tabulation…) non autorisé' };

const fieldSchema = z.strictObject({
  // A column name: an Excel heading holds 255 characters at most in practice, and a template's heading is the name.
  name: filled(255)
    .refine(noControl, NO_CONTROL)
    .refine((v) => v === v.trim() || v.trim() === '', { error: 'espaces au début ou à la fin du nom : un fichier déposé ne pourrait pas le reproduire' }),
  title: bounded(500).refine(noControl, NO_CONTROL).optional(),
  description: bounded(10_000).optional(),
  type: z.enum(FIELD_TYPES, { error: (i) => `type « ${String(i.input)} » inconnu (attendu : ${FIELD_TYPES.join(', ')})` }),
  format: z.string().optional(),
  example: scalar.transform(String).optional(),
  decimalChar: z.string().length(1, { error: 'un seul caractère' }).optional(),
  groupChar: z.string().length(1, { error: 'un seul caractère' }).optional(),
  bareNumber: z.boolean().optional(),
  trueValues: stringList.min(1).optional(),
  falseValues: stringList.min(1).optional(),
  constraints: constraintsSchema.optional(),
  missingValues: stringList.optional(),
  arrayItem: z
    .strictObject({
      type: z.literal('string'),
      constraints: z.strictObject({ required: z.boolean().optional(), enum: stringList.optional() }).optional(),
    })
    .optional(),
});

/** Fields of one schema at most: a table wider than this is no SCDL dataset, and the registry keeps a version as one record. */
export const MAX_SCHEMA_FIELDS = 1000;
/** A descriptor's JSON at most (a DynamoDB item holds 400 KB, keys and dates included). */
export const MAX_SCHEMA_BYTES = 300 * 1024;

const descriptorSchema = z.strictObject({
  id: z
    .string()
    .max(100, { error: 'identifiant trop long (100 caractères au plus)' })
    .regex(SCHEMA_ID, { error: 'identifiant invalide : minuscules, chiffres, « - » et « / » (ex. « commune/bornes-recharge »)' })
    // `schema: "none"` names a dataset without schema.
    .refine((id) => id !== 'none', { error: '« none » désigne un jeu de données sans schéma : choisissez un autre identifiant' }),
  version: z
    .string()
    .trim()
    .min(1, { error: 'numéro de version vide (par exemple « 1.0.0 »)' })
    // The catalogue reads a version back with `?version=` (at most 40 characters).
    .max(40, { error: 'numéro de version trop long (40 caractères au plus, par exemple « 1.2.0 »)' })
    .refine(noControl, NO_CONTROL)
    .transform((v) => v.replace(/^v(?=\d)/, '')),
  title: filled(500).refine(noControl, NO_CONTROL),
  description: bounded(20_000).optional(),
  url: z.string().url().optional(),
  fields: z
    .array(fieldSchema)
    .min(1, { error: 'au moins un champ est requis' })
    .max(MAX_SCHEMA_FIELDS, { error: `trop de champs (${MAX_SCHEMA_FIELDS} au plus)` }),
  missingValues: stringList.optional(),
  primaryKey: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  custom_checks: z.array(z.strictObject({ name: z.string(), params: z.record(z.string(), z.unknown()) })).optional(),
  geo: z.strictObject({ longitude: z.string(), latitude: z.string() }).optional(),
  aliases: z.record(z.string(), stringList).optional(),
  zeroPadded: z.record(z.string(), z.number().int().min(2).max(20)).optional(),
  outputDelimiter: z.string().length(1).optional(),
});

type Add = (path: (string | number)[], message: string) => void;

const isNumeric = (t: FieldType): boolean => t === 'integer' || t === 'number' || t === 'year';

function checkBound(f: FieldDescriptor, key: 'minimum' | 'maximum', path: (string | number)[], add: Add): void {
  const v = f.constraints?.[key];
  if (v === undefined) return;
  const p = [...path, 'constraints', key];
  if (isNumeric(f.type)) {
    if (typeof v !== 'number') add(p, `doit être un nombre pour un champ de type ${f.type}`);
  } else if (f.type === 'date' || f.type === 'datetime' || f.type === 'yearmonth') {
    const iso = f.type === 'date' ? isIsoDate : f.type === 'datetime' ? isIsoDateTime : (s: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(s);
    if (typeof v !== 'string' || !iso(v)) add(p, `doit être écrit en ISO 8601 (ex. 2024-12-31) pour un champ de type ${f.type}`);
  } else {
    add(p, `ne s’applique pas à un champ de type ${f.type}`);
  }
}

function enumTypeOk(t: FieldType, v: string | number | boolean): boolean {
  switch (t) {
    case 'integer':
    case 'year':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'any':
      return true;
    default:
      return typeof v === 'string';
  }
}

/** V8's reasons for a pattern that does not compile, in French. */
const REGEX_SYNTAX: readonly [RegExp, string][] = [
  [/Unterminated character class/i, 'crochet [ non fermé'],
  [/Unterminated group/i, 'parenthèse ( non fermée'],
  [/Unmatched '\)'/i, 'parenthèse ) sans parenthèse ouvrante'],
  [/Range out of order/i, 'intervalle à l’envers dans des crochets (ex. [z-a])'],
  [/Nothing to repeat/i, 'quantificateur (*, +, ?, {…}) sans rien à répéter'],
  [/numbers out of order/i, 'nombres à l’envers dans des accolades (ex. {5,2})'],
  [/Lone quantifier brackets/i, 'accolade isolée'],
  [/\\ at end of pattern/i, 'barre oblique inverse (\\) à la fin du motif'],
  [/Invalid group|Invalid capture group name/i, 'groupe invalide après « (? »'],
  [/Invalid escape/i, 'séquence d’échappement invalide'],
];

/**
 * Why a field's pattern cannot be used, in French; null when it can. It must compile; it must
 * not use Unicode classes (`\p{Lu}`: without the `u` flag, which the linear-time engine lacks,
 * it would match the letters « p{Lu} »); it must run in linear time (regexp-engine.ts).
 */
function patternProblem(pattern: string): string | null {
  let source: string;
  try {
    source = anchoredPattern(pattern).source;
  } catch (e) {
    const message = (e as Error).message;
    const reason = REGEX_SYNTAX.find(([re]) => re.test(message))?.[1];
    return `expression régulière invalide « ${pattern} »${reason ? ` : ${reason}` : ''}`;
  }
  if (/(?:^|[^\\])(?:\\\\)*\\[pP]\{/.test(pattern)) {
    return 'les classes Unicode \\p{…} ne sont pas prises en charge : écrivez les caractères attendus (par exemple [A-ZÀ-ÖØ-Þ] pour une majuscule)';
  }
  return linearTimeProblem(source, pattern);
}

/**
 * What makes a registered schema unsafe to run (a pattern that could backtrack for hours on
 * one cell: regexp-engine.ts), in French; null when none. Only that: a schema registered
 * before other rules got stricter (a title, a length) still runs.
 */
export function patternHazards(schema: TableSchemaDescriptor): string | null {
  for (const [k, f] of schema.fields.entries()) {
    const pattern = f.constraints?.pattern;
    if (pattern === undefined) continue;
    const problem = patternProblem(pattern);
    if (problem !== null) return `fields.${k}.constraints.pattern : ${problem}`;
  }
  return null;
}

function checkField(f: FieldDescriptor, path: (string | number)[], add: Add): void {
  const c = f.constraints;
  if (f.format !== undefined) {
    const ok =
      f.type === 'string'
        ? STRING_FORMATS.has(f.format)
        : f.type === 'date' || f.type === 'datetime'
          ? TIME_FORMATS.has(f.format) || f.format.includes('%')
          : f.format === 'default';
    if (!ok) add([...path, 'format'], `format « ${f.format} » non pris en charge pour un champ de type ${f.type}`);
  }
  if (f.decimalChar !== undefined && f.decimalChar === f.groupChar) add([...path, 'groupChar'], 'groupChar est le même caractère que decimalChar');
  if (c === undefined) return;
  if (c.pattern !== undefined) {
    const problem = patternProblem(c.pattern);
    if (problem !== null) add([...path, 'constraints', 'pattern'], problem);
  }
  if (c.enum !== undefined) {
    c.enum.forEach((v, k) => {
      if (!enumTypeOk(f.type, v)) add([...path, 'constraints', 'enum', k], `valeur ${JSON.stringify(v)} incompatible avec le type ${f.type}`);
    });
  }
  if ((c.minLength !== undefined || c.maxLength !== undefined) && f.type !== 'string' && f.type !== 'any') {
    add([...path, 'constraints'], `minLength/maxLength ne s’appliquent qu’aux champs texte (type ${f.type})`);
  }
  if (c.minLength !== undefined && c.maxLength !== undefined && c.minLength > c.maxLength) {
    add([...path, 'constraints', 'minLength'], 'minLength est supérieur à maxLength');
  }
  checkBound(f, 'minimum', path, add);
  checkBound(f, 'maximum', path, add);
  // Numbers, or ISO dates of one type (their text sorts as they do).
  if (c.minimum !== undefined && c.maximum !== undefined && typeof c.minimum === typeof c.maximum && c.minimum > c.maximum) {
    add([...path, 'constraints', 'minimum'], 'minimum est supérieur à maximum');
  }
}

function checkDescriptor(d: TableSchemaDescriptor, add: Add): void {
  const names = new Set<string>();
  d.fields.forEach((f, i) => {
    if (names.has(f.name)) add(['fields', i, 'name'], `nom de champ « ${f.name} » en double`);
    names.add(f.name);
    checkField(f, ['fields', i], add);
  });
  const known = (name: string, path: (string | number)[]): void => {
    if (!names.has(name)) add(path, `le champ « ${name} » n’existe pas dans le schéma`);
  };
  if (d.primaryKey !== undefined) {
    const pk = typeof d.primaryKey === 'string' ? [d.primaryKey] : d.primaryKey;
    pk.forEach((n, k) => known(n, typeof d.primaryKey === 'string' ? ['primaryKey'] : ['primaryKey', k]));
  }
  if (d.geo !== undefined) {
    known(d.geo.longitude, ['geo', 'longitude']);
    known(d.geo.latitude, ['geo', 'latitude']);
  }
  for (const name of Object.keys(d.aliases ?? {})) known(name, ['aliases', name]);
  for (const name of Object.keys(d.zeroPadded ?? {})) known(name, ['zeroPadded', name]);
  (d.custom_checks ?? []).forEach((cc, i) => {
    const check = CUSTOM_CHECKS.get(cc.name);
    if (check === undefined) {
      add(['custom_checks', i, 'name'], `contrôle « ${cc.name} » inconnu (connus : ${[...CUSTOM_CHECKS.keys()].join(', ')})`);
      return;
    }
    const parsed = check.params.safeParse(cc.params, { error: frenchError });
    if (!parsed.success) {
      for (const iss of parsed.error.issues) add(['custom_checks', i, 'params', ...iss.path.map(pathPart)], iss.message);
      return;
    }
    for (const col of check.columns(parsed.data)) known(col, ['custom_checks', i, 'params']);
  });
}

const pathPart = (p: PropertyKey): string | number => (typeof p === 'number' ? p : String(p));

/** Zod's names of JSON types, in French. */
const JSON_TYPES: Record<string, string> = {
  object: 'objet JSON { … }',
  array: 'liste JSON [ … ]',
  string: 'texte entre guillemets',
  number: 'nombre',
  int: 'nombre entier',
  boolean: 'booléen (true ou false)',
  record: 'objet JSON { … }',
};

function frenchError(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined ? 'valeur requise' : `type attendu : ${JSON_TYPES[iss.expected] ?? iss.expected}`;
    case 'unrecognized_keys':
      return `clé(s) inconnue(s) : ${iss.keys.join(', ')}`;
    case 'invalid_value':
      return `valeur non autorisée (attendu : ${iss.values.map((v) => JSON.stringify(v)).join(', ')})`;
    case 'too_small':
      return `trop petit (minimum ${String(iss.minimum)})`;
    case 'too_big':
      return `trop grand (maximum ${String(iss.maximum)})`;
    case 'invalid_union':
      return 'valeur de type inattendu';
    case 'invalid_format':
      return `format invalide (${iss.format})`;
    default:
      return undefined;
  }
}

const dotted = (path: readonly (string | number)[]): string => path.join('.');

/** Parses and verifies a descriptor; throws SchemaDescriptorError listing every problem. */
export function parseSchemaDescriptor(input: unknown): TableSchemaDescriptor {
  const bytes = Buffer.byteLength(JSON.stringify(input) ?? '');
  if (bytes > MAX_SCHEMA_BYTES) {
    throw new SchemaDescriptorError([{ path: '', message: `schéma trop volumineux (${Math.ceil(bytes / 1024)} Ko ; ${MAX_SCHEMA_BYTES / 1024} Ko au plus) : raccourcissez les descriptions` }]);
  }
  const parsed = descriptorSchema.safeParse(input, { error: frenchError });
  if (!parsed.success) {
    throw new SchemaDescriptorError(parsed.error.issues.map((i) => ({ path: dotted(i.path.map(pathPart)), message: i.message })));
  }
  const d = parsed.data as TableSchemaDescriptor;
  const details: SchemaDescriptorIssue[] = [];
  checkDescriptor(d, (path, message) => details.push({ path: dotted(path), message }));
  if (details.length > 0) throw new SchemaDescriptorError(details);
  return d;
}

const FIELD_KEYS = [
  'name', 'title', 'description', 'type', 'format', 'decimalChar', 'groupChar', 'bareNumber',
  'trueValues', 'falseValues', 'constraints', 'missingValues',
] as const;

/** Into `out`: `examples[0]` as `example`, an `array` field as a string with `arrayItem`. */
function mapFrictionlessField(f: Record<string, unknown>, out: Record<string, unknown>): void {
  if (f.example !== undefined) out.example = f.example;
  else if (Array.isArray(f.examples) && f.examples.length > 0) out.example = f.examples[0];
  else if (typeof f.examples === 'string') out.example = f.examples;
  if (f.type === 'array') {
    // Our field types have no array: the cell stays a JSON text, items checked via arrayItem.
    out.type = 'string';
    const item = (f.arrayItem ?? {}) as Record<string, unknown>;
    const c = (item.constraints ?? {}) as Record<string, unknown>;
    out.arrayItem = {
      type: 'string',
      constraints: { ...(c.required !== undefined ? { required: c.required } : {}), ...(c.enum !== undefined ? { enum: c.enum } : {}) },
    };
  }
}

function officialField(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const f = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of FIELD_KEYS) if (f[k] !== undefined) out[k] = f[k];
  if (out.format === 'default') delete out.format;
  mapFrictionlessField(f, out);
  return out;
}

/**
 * Keys of a published Frictionless / SCDL `schema.json` (Table Schema and Data Package
 * metadata) that a registered descriptor may carry and that we do not use: dropped, so that
 * an official schema is registered as it is published. Any other unknown key is a typo.
 */
const FRICTIONLESS_METADATA = [
  '$schema', 'name', 'homepage', 'path', 'created', 'lastModified', 'contributors', 'countryCode',
  'resources', 'sources', 'keywords', 'licenses', 'image', 'profile', 'fieldsMatch',
] as const;
const FIELD_METADATA = ['examples', 'rdfType'] as const;

function registeredField(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const f = raw as Record<string, unknown>;
  const out: Record<string, unknown> = { ...f };
  for (const k of FIELD_METADATA) delete out[k];
  mapFrictionlessField(f, out);
  return out;
}

/**
 * A custom schema POSTed by an admin: our descriptor (`id`, `version`, `title`, `fields`…),
 * which may be an official `schema.json` with an `id` added: its metadata keys are dropped,
 * `name` stands for a missing `title`, `path` for a missing `url`, `examples[0]` becomes
 * `example` and an `array` field a string with `arrayItem`. Then parseSchemaDescriptor, strict.
 */
export function parseRegisteredSchema(input: unknown): TableSchemaDescriptor {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return parseSchemaDescriptor(input);
  const s: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  if (s.title === undefined && typeof s.name === 'string') s.title = s.name;
  if (s.url === undefined && typeof s.path === 'string' && /^https?:\/\//.test(s.path)) s.url = s.path;
  for (const k of FRICTIONLESS_METADATA) delete s[k];
  if (Array.isArray(s.fields)) s.fields = s.fields.map(registeredField);
  return parseSchemaDescriptor(s);
}

/**
 * Maps an official Frictionless / SCDL `schema.json` to our descriptor under `id`: metadata
 * keys we do not use (`$schema`, `contributors`, `resources`…) are dropped, `version` loses
 * its `v`, `path` becomes `url`, `examples[0]` becomes `example`, `array` fields become
 * strings with `arrayItem`. Then the same verification as parseSchemaDescriptor.
 */
export function fromFrictionless(json: unknown, id: string): TableSchemaDescriptor {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new SchemaDescriptorError([{ path: '', message: 'le schéma doit être un objet JSON' }]);
  }
  const s = json as Record<string, unknown>;
  const out: Record<string, unknown> = {
    id,
    version: s.version === undefined ? '0.0.0' : String(s.version),
    title: s.title ?? s.name ?? id,
    fields: Array.isArray(s.fields) ? s.fields.map(officialField) : s.fields,
  };
  if (typeof s.description === 'string') out.description = s.description;
  if (typeof s.path === 'string' && /^https?:\/\//.test(s.path)) out.url = s.path;
  for (const k of ['missingValues', 'primaryKey', 'custom_checks'] as const) if (s[k] !== undefined) out[k] = s[k];
  return parseSchemaDescriptor(out);
}
