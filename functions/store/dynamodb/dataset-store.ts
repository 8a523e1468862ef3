import { encodeTime, TIME_LEN } from 'ulid';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  Dataset,
  DatasetVersion,
  Distribution,
  LatestPackage,
  ReportSummary,
  UpdateDatasetInput,
  Upload,
  UploadStatus,
} from '../../domain/datasets/dataset';
import type { TableStats } from '../../domain/standardize/column-stats';
import { keys, TABLE_INDEXES } from '../keys';
import { AlreadyExistsError, type Page } from '../ports';
import { conditionalUpdate, decodeKeyCursor, documentClient, encodeCursor, isConditionalCheckFailed, queryAll } from './client';
import { bumpCatalogRevision } from './catalog-revision';
import { entityOf } from './item';
import { updateExpression } from './update-expression';

/** An upload id: a ULID. */
const UPLOAD_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Queries one filtered listing of uploads may make before it returns a shorter page. */
const MAX_LIST_QUERIES = 5;
/** Uploads a filtered query reads at least (DynamoDB's Limit counts before the filter). */
const FILTERED_READ = 100;

/** Datasets, their immutable versions and the uploads that feed them. */
export class DynamoDatasetStore {
  constructor(private readonly table: string) {}

  private get db() {
    return documentClient();
  }

  // --- datasets -------------------------------------------------------------------------

  async createDataset(dataset: Dataset): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.dataset(dataset.tenantId, dataset.slug),
            ...keys.datasetSchema(dataset.schemaId, dataset.tenantId, dataset.slug),
            entity: 'dataset',
            ...dataset,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new AlreadyExistsError(`dataset ${dataset.tenantId}/${dataset.slug}`);
      throw error;
    }
  }

  async getDataset(tenantId: string, slug: string): Promise<Dataset | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.dataset(tenantId, slug), ConsistentRead: true }));
    return out.Item ? entityOf<Dataset>(out.Item) : undefined;
  }

  async listDatasets(tenantId: string): Promise<Dataset[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.tenant(tenantId).pk, ':prefix': keys.datasetSkPrefix },
    });
    return items.map((i) => entityOf<Dataset>(i));
  }

  async updateDataset(tenantId: string, slug: string, patch: UpdateDatasetInput, now: string): Promise<Dataset | undefined> {
    const item = await conditionalUpdate({
      TableName: this.table,
      Key: keys.dataset(tenantId, slug),
      ...updateExpression({ ...patch, updatedAt: now }, { expression: 'attribute_exists(pk)' }),
    });
    if (item) await bumpCatalogRevision(this.table);
    return item ? entityOf<Dataset>(item) : undefined;
  }

  /**
   * Deletes a dataset never published (a draft no version number was allocated to), then the
   * records of its uploads (rejected files): the slug starts afresh. Returns the ids of the
   * uploads deleted, or undefined when the dataset is not such a draft (any more).
   */
  async deleteDraft(tenantId: string, slug: string): Promise<string[] | undefined> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: keys.dataset(tenantId, slug),
          ConditionExpression: 'attribute_exists(pk) AND #s = :draft AND (attribute_not_exists(latestVersion) OR latestVersion = :zero)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':draft': 'draft', ':zero': 0 },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
    const uploads = await queryAll({
      TableName: this.table,
      IndexName: TABLE_INDEXES.gsi1.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': TABLE_INDEXES.gsi1.pk },
      ExpressionAttributeValues: { ':pk': keys.uploadList(tenantId, slug, '').gsi1pk },
    });
    const ids = uploads.map((u) => String(u.id));
    for (const id of ids) await this.db.send(new DeleteCommand({ TableName: this.table, Key: keys.upload(id) }));
    return ids;
  }

  /** Allocates the next version number (never reused, even when a publication fails later). */
  async allocateVersion(tenantId: string, slug: string): Promise<number> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.dataset(tenantId, slug),
        UpdateExpression: 'SET latestVersion = if_not_exists(latestVersion, :zero) + :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.latestVersion);
  }

  /**
   * Makes `version` current, by one of two moves:
   * - publication (`uploadId`): only to a later upload. Upload ids are ULIDs, ordered by the
   *   time the upload was requested, so the upload a publisher started last is the one online
   *   whichever finished standardizing first (a large export sent before a small correction
   *   never hides the correction). `currentOrder` keeps that order: the current version's
   *   upload id, or the instant of the last restore or unpublish (orderAt), which an upload
   *   requested before it does not undo. Datasets made current before it was recorded compare
   *   version numbers;
   * - restore (`restoreSeen`: the `currentOrder` read before): anywhere, when nothing moved the
   *   dataset since that read (no unpublish, publication or other restore in between).
   * Returns false when the condition did not hold.
   */
  async setCurrent(version: DatasetVersion, now: string, move: { uploadId: string } | { restoreSeen: string | undefined }): Promise<boolean> {
    const modified = now;
    let order: string;
    let condition: { expression: string; values?: Record<string, unknown> };
    if ('uploadId' in move) {
      order = move.uploadId;
      condition = {
        expression:
          'attribute_exists(pk) AND (currentOrder < :order' +
          ' OR (attribute_not_exists(currentOrder) AND (attribute_not_exists(currentVersion) OR currentVersion < :current)))',
        values: { ':current': version.version, ':order': order },
      };
    } else {
      const seen = move.restoreSeen;
      // Never backwards: a clock behind the ULID last recorded keeps that one.
      order = seen !== undefined && seen > orderAt(now) ? seen : orderAt(now);
      condition =
        seen === undefined
          ? { expression: 'attribute_exists(pk) AND attribute_not_exists(currentOrder)' }
          : { expression: 'attribute_exists(pk) AND currentOrder = :seen', values: { ':seen': seen } };
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.dataset(version.tenantId, version.slug),
          ...updateExpression(
            {
              currentVersion: version.version,
              currentOrder: order,
              status: 'published',
              modified,
              updatedAt: now,
              rowCount: version.rowCount,
              distributions: version.distributions,
              lastReport: version.report,
              schemaVersion: version.schemaVersion ?? null,
              ...keys.datasetCatalog(modified, version.tenantId, version.slug),
            },
            condition,
          ),
        }),
      );
      await bumpCatalogRevision(this.table);
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /**
   * Records what `latest/datapackage.json` holds (undefined: a copy of the version's own), while
   * `version` is current; a version gone out of current meanwhile leaves the record alone (the
   * writer that moved it records its own).
   */
  async setLatestPackage(tenantId: string, slug: string, version: number, written: LatestPackage | undefined): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.dataset(tenantId, slug),
          UpdateExpression: written ? 'SET latestPackage = :p' : 'REMOVE latestPackage',
          ConditionExpression: 'currentVersion = :v',
          ExpressionAttributeValues: { ':v': version, ...(written ? { ':p': written } : {}) },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) return;
      throw error;
    }
    await bumpCatalogRevision(this.table);
  }

  /** Records the report of the last upload (also for rejected files). */
  async setLastReport(tenantId: string, slug: string, report: ReportSummary, now: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.dataset(tenantId, slug),
        UpdateExpression: 'SET lastUploadReport = :r, updatedAt = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':r': report, ':now': now },
      }),
    );
  }

  /** Takes the dataset out of the public catalogue; its versions stay recorded. */
  async unpublish(tenantId: string, slug: string, now: string): Promise<Dataset | undefined> {
    const item = await conditionalUpdate({
      TableName: this.table,
      Key: keys.dataset(tenantId, slug),
      // An upload requested before the unpublish and finishing after it stays in the history.
      UpdateExpression: 'SET #s = :s, updatedAt = :now, unpublishedAt = :now, currentOrder = :order REMOVE gsi1pk, gsi1sk, currentVersion, distributions',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': 'unpublished', ':now': now, ':order': orderAt(now) },
    });
    if (item) await bumpCatalogRevision(this.table);
    return item ? entityOf<Dataset>(item) : undefined;
  }

  // --- versions -------------------------------------------------------------------------

  /**
   * Records a version, once: a version recorded already is never replaced (its files are
   * immutable, and its record says what they hold). Returns the record that stands: `version`,
   * or the one another delivery of the same upload recorded first.
   */
  async putVersion(version: DatasetVersion): Promise<DatasetVersion> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.version(version.tenantId, version.slug, version.version), entity: 'version', ...version },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return version;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const recorded = await this.getVersion(version.tenantId, version.slug, version.version);
      if (!recorded) throw error;
      return recorded;
    }
  }

  async getVersion(tenantId: string, slug: string, version: number): Promise<DatasetVersion | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.version(tenantId, slug, version), ConsistentRead: true }));
    return out.Item ? entityOf<DatasetVersion>(out.Item) : undefined;
  }

  async deleteVersion(tenantId: string, slug: string, version: number): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: keys.versionStats(tenantId, slug, version) }));
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: keys.version(tenantId, slug, version) }));
  }

  /**
   * Records a version's column statistics (column-stats.ts), as JSON text: their numbers are
   * the file's, any a JSON number may be (21310390500138000, 1e200), which DynamoDB numbers
   * are not all; at most MAX_STATS_BYTES.
   */
  async putVersionStats(tenantId: string, slug: string, version: number, stats: TableStats): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { ...keys.versionStats(tenantId, slug, version), entity: 'version-stats', version, stats: JSON.stringify(stats) } }),
    );
  }

  async listVersions(tenantId: string, slug: string): Promise<DatasetVersion[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.versionPk(tenantId, slug), ':prefix': keys.versionSkPrefix },
      ScanIndexForward: false,
    });
    return items.map((i) => entityOf<DatasetVersion>(i));
  }

  /**
   * Claims the source bytes for a version. Returns the version that holds them: `version`
   * when the claim is ours (or already was), another one when the same bytes were published before.
   */
  async claimSource(tenantId: string, slug: string, sha256: string, version: number): Promise<number> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.sourceHash(tenantId, slug, sha256), entity: 'source', version },
          ConditionExpression: 'attribute_not_exists(pk) OR version = :v',
          ExpressionAttributeValues: { ':v': version },
        }),
      );
      return version;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      return (await this.sourceVersion(tenantId, slug, sha256)) ?? version;
    }
  }

  async sourceVersion(tenantId: string, slug: string, sha256: string): Promise<number | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.sourceHash(tenantId, slug, sha256), ConsistentRead: true }),
    );
    return out.Item ? Number(out.Item.version) : undefined;
  }

  // --- uploads --------------------------------------------------------------------------

  async createUpload(upload: Upload): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...keys.upload(upload.id),
          ...keys.uploadList(upload.tenantId, upload.slug, upload.id),
          entity: 'upload',
          ...upload,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /**
   * The uploads of a dataset, newest first (ULID order: the order they were requested), at
   * most `limit`, only those in `status` when given. The cursor is the key of the last upload
   * returned, so a page cut short by the filter goes on exactly where it stopped; a cursor of
   * another dataset's listing is refused.
   */
  async listUploads(tenantId: string, slug: string, limit: number, cursor?: string, status?: UploadStatus): Promise<Page<Upload>> {
    const { gsi1 } = TABLE_INDEXES;
    /** An upload's whole key in this listing: what a cursor holds. */
    const keyOf = (id: string) => ({ ...keys.upload(id), ...keys.uploadList(tenantId, slug, id) });
    const partition = keyOf('').gsi1pk;
    // Another dataset's cursor, or a forged one, is refused.
    let start: Record<string, unknown> | undefined = decodeKeyCursor(cursor, gsi1.sk, (id) => (UPLOAD_ID.test(id) ? keyOf(id) : undefined));
    const items: Record<string, unknown>[] = [];
    // A filtered listing reads ahead of what it keeps: a few queries at most, then a shorter page and its cursor.
    for (let query = 0; query < MAX_LIST_QUERIES && items.length < limit; query++) {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: gsi1.name,
          KeyConditionExpression: '#pk = :pk',
          ...(status ? { FilterExpression: '#status = :status' } : {}),
          ExpressionAttributeNames: { '#pk': gsi1.pk, ...(status ? { '#status': 'status' } : {}) },
          ExpressionAttributeValues: { ':pk': partition, ...(status ? { ':status': status } : {}) },
          ScanIndexForward: false,
          Limit: status ? Math.max(limit, FILTERED_READ) : limit,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        items.push(item);
        if (items.length === limit) break;
      }
      start = out.LastEvaluatedKey;
      if (items.length === limit) {
        // Cut inside this page: go on after the last upload kept, unless it ended the page and the listing.
        const last = items[items.length - 1];
        const endedListing = start === undefined && last === out.Items?.[out.Items.length - 1];
        start = endedListing ? undefined : keyOf(last.id as string);
      }
      if (start === undefined) break;
    }
    return { items: items.map((i) => entityOf<Upload>(i)), nextCursor: encodeCursor(start) };
  }

  async getUpload(uploadId: string): Promise<Upload | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.upload(uploadId), ConsistentRead: true }));
    return out.Item ? entityOf<Upload>(out.Item) : undefined;
  }

  /**
   * Takes the upload for processing. Allowed when it awaits its file, or when it is being
   * processed by the same message (a retry) or by a worker whose lease has expired.
   */
  async startProcessing(uploadId: string, owner: string, now: string, leaseMs: number): Promise<Upload | undefined> {
    const item = await conditionalUpdate({
      TableName: this.table,
      Key: keys.upload(uploadId),
      UpdateExpression: 'SET #s = :processing, leaseOwner = :owner, leaseUntil = :until, updatedAt = :now',
      ConditionExpression:
        'attribute_exists(pk) AND (#s = :awaiting OR (#s = :processing AND (leaseOwner = :owner OR leaseUntil < :now)))',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: {
        ':processing': 'processing',
        ':awaiting': 'awaiting-file',
        ':owner': owner,
        ':until': new Date(Date.parse(now) + leaseMs).toISOString(),
        ':now': now,
      },
    });
    return item ? entityOf<Upload>(item) : undefined;
  }

  /** Remembers the version allocated to an upload, so a retry reuses it. Returns the recorded one. */
  async recordUploadVersion(uploadId: string, version: number): Promise<number> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.upload(uploadId),
          UpdateExpression: 'SET version = :v',
          ConditionExpression: 'attribute_not_exists(version)',
          ExpressionAttributeValues: { ':v': version },
        }),
      );
      return version;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const upload = await this.getUpload(uploadId);
      return upload?.version ?? version;
    }
  }

  /** Final states are written once: a finished upload never changes again. */
  async finishUpload(
    uploadId: string,
    status: Exclude<UploadStatus, 'awaiting-file' | 'processing'>,
    fields: { version?: number; report?: ReportSummary; reason?: string },
    now: string,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.upload(uploadId),
          ...updateExpression(
            { status, ...fields, updatedAt: now, leaseOwner: null, leaseUntil: null },
            {
              expression: 'attribute_exists(pk) AND (#status = :processing OR #status = :awaiting)',
              names: { '#status': 'status' },
              values: { ':processing': 'processing', ':awaiting': 'awaiting-file' },
            },
          ),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}

/**
 * A publisher's action at `now` (ISO) in upload order: the ULID of that instant with the
 * lowest random part, after every upload requested before it and before every one after.
 */
export function orderAt(now: string): string {
  return encodeTime(Date.parse(now), TIME_LEN) + '0'.repeat(16);
}

export type { Distribution };
