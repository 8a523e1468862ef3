import { z } from 'zod';
import { schemaIdSchema, slugSchema } from '../tenants/tenant';
import { CONTROL_CHARACTERS } from '../control-characters';

export const LICENCES = ['etalab-2.0', 'odbl-1.0', 'cc-by-4.0', 'cc0-1.0'] as const;
export type Licence = (typeof LICENCES)[number];

/** Update frequencies, mapped to the EU frequency vocabulary for DCAT. */
export const FREQUENCIES = [
  'unknown',
  'continuous',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'semiannual',
  'annual',
  'irregular',
] as const;
export type Frequency = (typeof FREQUENCIES)[number];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Earliest year a coverage may start or end: `0000-01-01` is a placeholder, not a period a dataset covers. */
const MIN_YEAR = 1000;

/** `AAAA-MM-JJ` naming a day of the calendar (no 30 February, no month 13) of a plausible year. */
const isoDate = z
  .string()
  .regex(ISO_DATE, 'date attendue au format AAAA-MM-JJ')
  // zod runs these checks after a failed regex too: the format is the regex's to report.
  .refine((v) => !ISO_DATE.test(v) || isCalendarDate(v), {
    error: (issue) => `« ${String(issue.input)} » n’est pas une date du calendrier (mois de 01 à 12, jour qui existe dans ce mois)`,
  })
  .refine((v) => !ISO_DATE.test(v) || Number(v.slice(0, 4)) >= MIN_YEAR, {
    error: (issue) => `« ${String(issue.input)} » : année invraisemblable (${MIN_YEAR} au plus tôt)`,
  });

/** Whether `AAAA-MM-JJ` is a day of the (proleptic Gregorian) calendar. */
export function isCalendarDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** CONTROL_CHARACTERS but line breaks and tabs, which a description keeps. */
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

/** `caractère de contrôle U+001B (position 6) refusé …`: which one and where, as none of them shows on screen. */
function controlCharacter(pattern: RegExp, allowed: string) {
  return {
    error: (issue: { input?: unknown }) => {
      const value = String(issue.input);
      const at = value.search(pattern);
      const code = value.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
      return `caractère de contrôle U+${code} (position ${at + 1}) refusé : ${allowed}`;
    },
  };
}

const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, min > 1 ? `au moins ${min} caractères` : 'ne doit pas être vide')
    .max(max, `au plus ${max} caractères`)
    .refine((v) => !CONTROL_CHARACTERS.test(v), controlCharacter(CONTROL_CHARACTERS, 'ce champ n’admet ni saut de ligne, ni tabulation, ni caractère invisible'));

const metadataFields = {
  title: text(3, 200),
  description: z
    .string()
    // A file saved on Windows or a form's text area sends \r\n: a line break all the same.
    .transform((v) => v.replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .max(5000, 'au plus 5000 caractères')
        .refine((v) => !CONTROL_BUT_LINES.test(v), controlCharacter(CONTROL_BUT_LINES, 'seuls les sauts de ligne et les tabulations sont admis')),
    )
    .optional(),
  licence: z.enum(LICENCES, 'licence attendue : etalab-2.0, odbl-1.0, cc-by-4.0 ou cc0-1.0').optional(),
  keywords: z.array(text(1, 60)).max(30, 'au plus 30 mots-clés').optional(),
  theme: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'thème attendu en minuscules sans accent (ex. « finances »)')
    .max(60)
    .optional(),
  frequency: z.enum(FREQUENCIES, `fréquence attendue : ${FREQUENCIES.join(', ')}`).optional(),
  temporalCoverage: z
    .object({ start: isoDate.optional(), end: isoDate.optional() })
    .strict()
    .refine((t) => t.start !== undefined || t.end !== undefined, 'au moins une date est attendue : « start », « end » ou les deux (null retire la couverture)')
    .refine((t) => !t.start || !t.end || t.start <= t.end, 'la date de début doit précéder la date de fin')
    .optional(),
};

export const createDatasetSchema = z
  .object({
    slug: slugSchema,
    /** A schema id enabled for the tenant, or `none` (published as parsed, no validation). */
    schema: z
      .string()
      .refine((v) => v === 'none' || schemaIdSchema.safeParse(v).success, 'identifiant de schéma attendu (ex. « scdl/subventions »), ou « none » pour un jeu sans schéma'),
    ...metadataFields,
  })
  .strict();

export const updateDatasetSchema = z
  .object({
    title: metadataFields.title.optional(),
    description: metadataFields.description.nullable(),
    licence: metadataFields.licence,
    keywords: metadataFields.keywords,
    theme: metadataFields.theme.nullable(),
    frequency: metadataFields.frequency.nullable(),
    temporalCoverage: metadataFields.temporalCoverage.nullable(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'au moins un champ à modifier est attendu');

/**
 * Fields of a dataset that a PATCH cannot change: its files are validated against its schema
 * and published under its slug (a new dataset is needed). `schemaId` is how the API shows it.
 */
export const IMMUTABLE_FIELDS = ['slug', 'schema', 'schemaId'] as const;

export type CreateDatasetInput = z.infer<typeof createDatasetSchema>;
export type UpdateDatasetInput = z.infer<typeof updateDatasetSchema>;

export type DistributionFormat = 'csv' | 'json' | 'geojson' | 'datapackage' | 'report';

/** One published file of a version. `key` is the object key in the public bucket. */
export interface Distribution {
  format: DistributionFormat;
  key: string;
  mediaType: string;
  bytes: number;
  sha256: string;
}

export interface ReportSummary {
  valid: boolean;
  rowCount: number;
  errorCount: number;
  warningCount: number;
  /** Issue counts by code. */
  codes: Record<string, number>;
}

/** `draft`: never published; `published`: has a current version; `unpublished`: removed from public view. */
export type DatasetStatus = 'draft' | 'published' | 'unpublished';

export interface Dataset {
  tenantId: string;
  slug: string;
  title: string;
  description?: string;
  /** `none` or a schema id. */
  schemaId: string;
  /** Version of the schema the dataset is validated against (absent for `none`). */
  schemaVersion?: string;
  licence: Licence;
  keywords: string[];
  theme?: string;
  frequency?: Frequency;
  temporalCoverage?: { start?: string; end?: string };
  status: DatasetStatus;
  /** Number of the current published version. */
  currentVersion?: number;
  /**
   * Upload order of what made the dataset what it is (the current version's upload id, or
   * the instant of the last restore or unpublish): only an upload requested after it becomes
   * current when it is published (dataset-store.ts › setCurrent).
   */
  currentOrder?: string;
  /** Highest version number ever created (versions are never reused). */
  latestVersion: number;
  /** When the current version was published (ISO). */
  modified?: string;
  rowCount?: number;
  distributions?: Distribution[];
  /**
   * What `latest/datapackage.json` holds when it is not a copy of the current version's (the
   * metadata changed since: publication.ts › writeLatestPackage): the catalogue gives its
   * size and checksum with the `latest` URL. Stands only while `version` is current.
   */
  latestPackage?: LatestPackage;
  lastReport?: ReportSummary;
  createdAt: string;
  updatedAt: string;
}

export interface LatestPackage {
  version: number;
  bytes: number;
  sha256: string;
}

/** An immutable published version. */
export interface DatasetVersion {
  tenantId: string;
  slug: string;
  version: number;
  uploadId: string;
  /** SHA-256 of the uploaded bytes: the same bytes again is a duplicate of this version. */
  sourceSha256: string;
  sourceFilename: string;
  /** Private copy of the outputs in the upload bucket: restores a version after an unpublish. */
  archivePrefix: string;
  schemaId: string;
  schemaVersion?: string;
  rowCount: number;
  distributions: Distribution[];
  report: ReportSummary;
  createdAt: string;
}

export const UPLOAD_STATUSES = ['awaiting-file', 'processing', 'published', 'rejected', 'failed', 'duplicate'] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

export interface Upload {
  id: string;
  tenantId: string;
  slug: string;
  status: UploadStatus;
  filename: string;
  contentType: string;
  size: number;
  /** Key of the raw file in the upload bucket. */
  objectKey: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  version?: number;
  report?: ReportSummary;
  /** Why a `failed` upload failed (French). */
  reason?: string;
}

/** Public object keys of a dataset version: `datasets/<tenant>/<slug>/v<n>/` and `…/latest/`. */
export function publicPrefix(tenantId: string, slug: string, version: number | 'latest'): string {
  return `datasets/${tenantId}/${slug}/${version === 'latest' ? 'latest' : `v${version}`}/`;
}

/**
 * The file name as one segment of an object key: ASCII letters, digits, `.`, `-` and `_`.
 * Never `.` or `..` (nor only dots), which a client's URL normalisation would resolve and
 * PUT elsewhere: NFKD makes `.` of a one-dot leader or a full-width full stop too.
 */
export function uploadFileSegment(filename: string): string {
  const segment = filename.normalize('NFKD').replace(/[^\w.-]+/g, '_').slice(0, 120);
  return /^\.*$/.test(segment) ? 'fichier' : segment;
}

/** Raw uploads live under `uploads/<tenant>/<slug>/<uploadId>/<filename>` in the upload bucket. */
export function uploadObjectKey(tenantId: string, slug: string, uploadId: string, filename: string): string {
  return `uploads/${tenantId}/${slug}/${uploadId}/${filename}`;
}

export function parseUploadObjectKey(key: string): { tenantId: string; slug: string; uploadId: string } | undefined {
  const m = /^uploads\/([a-z0-9-]+)\/([a-z0-9-]+)\/([0-9A-HJKMNP-TV-Z]{26})\/[^/]+$/.exec(key);
  return m ? { tenantId: m[1], slug: m[2], uploadId: m[3] } : undefined;
}
