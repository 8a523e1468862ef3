import * as path from 'path';
import { CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Env } from '../../functions/env';
import { tableDefinition } from '../table-definition';

const repoRoot = path.join(__dirname, '..', '..');

/** A variable the handlers read (functions/env.ts): a typo here fails the typecheck. */
type EnvName = keyof Env;

/** Raw uploads live under this prefix of the upload bucket (see the presigned URLs). */
export const UPLOAD_PREFIX = 'uploads/';
/** Private outputs of each upload (restores after an unpublish) and rejection reports. */
export const ARCHIVE_PREFIX = 'archive/';
export const REPORT_PREFIX = 'reports/';

export interface SocleFunctionProps {
  /** Bounded context: the entry is `functions/<context>/<entry>`. */
  context: 'admin' | 'publish' | 'catalog' | 'standardize' | 'consolidate';
  /** The entry file in the context's folder (default `handler.ts`). */
  entry?: string;
  memoryMiB: number;
  timeout: Duration;
  logRetentionDays: number;
  /** Applied to the log group: logs are not data, but keep them outside dev stages. */
  removalPolicy: RemovalPolicy;
  /** Node.js options of this function, after the platform's (source maps). */
  nodeOptions?: readonly string[];
}

/**
 * One Lambda of Socle with the platform defaults (Node.js 22 on arm64, esbuild bundle with
 * source maps, its own log group with retention, its own role). Resources are attached with
 * the `use*` methods, each of which sets the environment variable the handler reads
 * (functions/env.ts) AND the narrowest IAM grant that handler needs, so the two cannot drift.
 */
export class SocleFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: SocleFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: retentionDays(props.logRetentionDays),
      removalPolicy: props.removalPolicy,
    });

    // Our own role with an inline grant on this log group only, instead of the account-wide
    // AWSLambdaBasicExecutionRole managed policy (logs:* on every log group).
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Socle ${props.context}${props.entry ? ` ${props.entry.replace(/\.ts$/, '')}` : ''} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: path.join(repoRoot, 'functions', props.context, props.entry ?? 'handler.ts'),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMiB,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: ['--enable-source-maps', ...(props.nodeOptions ?? [])].join(' ') },
      bundling: {
        // No Docker on build machines: bundle with the project's pinned esbuild.
        forceDockerBundling: false,
        format: OutputFormat.CJS,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the AWS SDK too: the handlers run with the SDK versions pinned and tested in
        // package.json, not whatever version the Lambda runtime happens to ship.
        externalModules: [],
        // Prefer packages' ES module builds: esbuild tree-shakes them (the AWS SDK shrinks by
        // ~200 KB per function; measured 1.10 → 0.88 MB for admin).
        mainFields: ['module', 'main'],
      },
    });

    // Node.js 22 is the runtime the design pins (and the one the local platform tests run on);
    // moving to a newer one is a deliberate upgrade, not something a linter should force.
    Validations.of(this.fn.node.defaultChild as CfnElement).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the runtime pinned by the design and tested locally; upgrades are deliberate.',
    });
  }

  /** TABLE_NAME + DynamoDB item access on the table and its indexes. No Scan: the design forbids it. */
  useTable(table: ITable, access: 'read' | 'readWrite'): this {
    const read = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
    const write = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
    this.setEnv('TABLE_NAME', table.tableName);
    this.fn.addToRolePolicy(
      new PolicyStatement({
        actions: access === 'read' ? read : [...read, ...write],
        resources: [
          table.tableArn,
          ...tableDefinition.globalSecondaryIndexes.map((gsi) => `${table.tableArn}/index/${gsi.indexName}`),
        ],
      }),
    );
    return this;
  }

  /**
   * UPLOAD_BUCKET + the private prefixes a context needs:
   * - presign (publish API): s3:PutObject on `uploads/*`, which the signer of a presigned PUT
   *   must hold; read of `reports/*` (rejection reports) and `archive/*` (restoring a version
   *   after an unpublish copies from the private archive);
   * - process (standardizer): read `uploads/*`; read, write and delete `archive/*` (the
   *   outputs of each upload, kept privately) and `reports/*`; list, to clear an archive.
   */
  useUploadBucket(bucket: IBucket, access: 'presign' | 'process'): this {
    this.setEnv('UPLOAD_BUCKET', bucket.bucketName);
    const grants: [string[], string][] =
      access === 'presign'
        ? [
            [['s3:PutObject'], UPLOAD_PREFIX],
            [['s3:GetObject'], REPORT_PREFIX],
            [['s3:GetObject'], ARCHIVE_PREFIX],
          ]
        : [
            [['s3:GetObject'], UPLOAD_PREFIX],
            [['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], ARCHIVE_PREFIX],
            [['s3:GetObject', 's3:PutObject'], REPORT_PREFIX],
          ];
    for (const [actions, prefix] of grants) {
      this.fn.addToRolePolicy(new PolicyStatement({ actions, resources: [bucket.arnForObjects(`${prefix}*`)] }));
      this.acknowledgeObjectWildcard(bucket, `${prefix}*`, `private objects are keyed per tenant, dataset and upload id under ${prefix}`);
    }
    if (access === 'process') {
      this.fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${ARCHIVE_PREFIX}*`] } },
        }),
      );
    }
    return this;
  }

  /**
   * PUBLIC_BUCKET + PUBLIC_BASE_URL + access to published files:
   * - read: get objects (and list, so a missing key is a 404, not a 403);
   * - readDelete: read + delete (unpublishing);
   * - readWrite: read + write + delete (writing outputs, consolidated files, catalogues).
   */
  usePublicBucket(bucket: IBucket, publicBaseUrl: string, access: 'read' | 'readDelete' | 'readWrite'): this {
    this.setEnv('PUBLIC_BUCKET', bucket.bucketName);
    this.setEnv('PUBLIC_BASE_URL', publicBaseUrl);
    const objectActions = {
      read: ['s3:GetObject'],
      readDelete: ['s3:GetObject', 's3:DeleteObject'],
      readWrite: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
    }[access];
    this.fn.addToRolePolicy(new PolicyStatement({ actions: objectActions, resources: [bucket.arnForObjects('*')] }));
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    this.acknowledgeObjectWildcard(bucket, '*', 'published files are keyed per tenant, dataset and version');
    return this;
  }

  /** ADMIN_TOKEN_SECRET_ARN + read on that one secret. */
  useAdminSecret(secret: ISecret): this {
    this.setEnv('ADMIN_TOKEN_SECRET_ARN', secret.secretArn);
    secret.grantRead(this.fn);
    return this;
  }

  setEnv(name: EnvName, value: string): this {
    this.fn.addEnvironment(name, value);
    return this;
  }

  /**
   * IAM5 flags `arn:…:bucket/prefix*`. Object ARNs can only be granted with a wildcard; the
   * acknowledgement names that exact resource, so any other wildcard still fails the check.
   */
  private acknowledgeObjectWildcard(bucket: IBucket, pattern: string, why: string): void {
    const cfnBucket = bucket.node.defaultChild as CfnElement;
    const logicalId = Stack.of(this).getLogicalId(cfnBucket);
    const policy = this.role.node.findChild('DefaultPolicy').node.defaultChild as CfnElement;
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${pattern}]`,
      reason: `Object-level S3 actions need an object ARN pattern; ${why}, unknown at deploy time.`,
    });
  }
}

/** A CloudWatch Logs retention from a number of days; fails on a value CloudWatch does not offer. */
export function retentionDays(days: number): RetentionDays {
  const allowed = Object.values(RetentionDays).filter((v): v is RetentionDays => typeof v === 'number');
  const match = allowed.find((v) => v === days);
  if (match === undefined) {
    throw new Error(`logRetentionDays: ${days} is not a CloudWatch Logs retention (one of ${allowed.join(', ')})`);
  }
  return match;
}
