import { App, AppProps, CfnOutput, Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  EventType,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct, type IConstruct } from 'constructs';
import { isDevStage, parseStageConfig, stageConfigSchema, type StageConfig } from './config';
import { retentionDays, SocleFunction, UPLOAD_PREFIX } from './constructs/socle-function';
import { routeKey, routes, type HandlerName } from './routes';
import { tableDefinition } from './table-definition';
import { STANDARDIZE_NODE_OPTIONS } from '../functions/standardize/node-options';

export interface SocleStackProps extends StackProps {
  config: StageConfig;
}

/** The whole AWS platform of one stage: API, functions, table, buckets, queue. */
export class SocleStack extends Stack {
  readonly api: HttpApi;
  readonly functions: Record<HandlerName | 'standardize' | 'standardizeDeadLetters' | 'consolidate', SocleFunction>;

  constructor(scope: Construct, id: string, props: SocleStackProps) {
    super(scope, id, props);
    const { config } = props;
    const keep = isDevStage(config.stage) ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    // ---- Data -------------------------------------------------------------------------
    const table = new Table(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: keep,
    });
    for (const gsi of tableDefinition.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey, type: AttributeType.STRING },
        sortKey: { name: gsi.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    // S3 server access logs of the two data buckets (who downloaded what, failed uploads).
    // It does not log itself (that would loop); cdk-nag's S1 knows a log target and passes it.
    const accessLogs = new Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED, // log delivery only supports SSE-S3
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(config.logRetentionDays) }],
      removalPolicy: keep,
    });
    const uploadBucket = new Bucket(this, 'UploadBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'upload-bucket/',
      lifecycleRules: [
        { id: 'ExpireRawUploads', prefix: UPLOAD_PREFIX, expiration: Duration.days(config.rawUploadRetentionDays) },
        { id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Browsers PUT files straight to S3 with the presigned URLs the publish function signs.
      cors: [
        {
          allowedMethods: [HttpMethods.PUT],
          allowedOrigins: [config.portalOrigin],
          // if-none-match: the upload URL writes its object once (objects.ts › presignPut).
          allowedHeaders: ['content-type', 'content-md5', 'if-none-match', 'x-amz-*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      removalPolicy: keep,
    });

    // Published open data: every object is readable by anyone (GetObject only, through the
    // bucket policy; ACLs stay blocked, nobody else may write or list).
    const publicBucket = new Bucket(this, 'PublicBucket', {
      publicReadAccess: true,
      blockPublicAccess: new BlockPublicAccess({
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: false,
        restrictPublicBuckets: false,
      }),
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'public-bucket/',
      lifecycleRules: [{ id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      cors: [{ allowedMethods: [HttpMethods.GET, HttpMethods.HEAD], allowedOrigins: ['*'], allowedHeaders: ['*'], maxAge: 86400 }],
      removalPolicy: keep,
    });
    // Open data is public by definition: the bucket policy grants s3:GetObject to everyone
    // and nothing else; a CloudFront distribution can be put in front where configured.
    Validations.of(cfn(publicBucket)).acknowledge({
      id: 'AwsSolutions-S2',
      reason: 'Published open data (Licence Ouverte) must be downloadable by anyone: public GetObject only, ACLs blocked.',
    });
    const publicBaseUrl = `https://${publicBucket.bucketRegionalDomainName}`;

    // Bootstrap admin token (the département's first key). An operator reads it with:
    //   aws secretsmanager get-secret-value --secret-id <AdminTokenSecretArn output> \
    //     --query SecretString --output text
    const adminToken = new Secret(this, 'AdminToken', {
      description: `Socle ${config.stage}: bootstrap admin (département) bearer token`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy: keep,
    });
    // Rotating this token would lock the operator out without notice; it is rotated by hand
    // (put-secret-value) and functions re-read it on cold start.
    Validations.of(cfn(adminToken)).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Bootstrap admin bearer token, rotated manually by the operator; automatic rotation would lock them out.',
    });

    // ---- Upload pipeline: S3 ObjectCreated → SQS (+ DLQ, alarm) → standardize ----------
    const standardizeTimeout = Duration.minutes(5);
    const deadLettersTimeout = Duration.minutes(1);
    const deadLetters = new Queue(this, 'StandardizeDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // Consumed by StandardizeDeadLetters (below): at least its timeout, with room for a retry.
      visibilityTimeout: Duration.seconds(deadLettersTimeout.toSeconds() * 6),
    });
    const uploads = new Queue(this, 'StandardizeQueue', {
      encryption: QueueEncryption.SQS_MANAGED, // S3 notifications cannot use the AWS-managed KMS key
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(standardizeTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 },
    });
    uploadBucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(uploads), {
      prefix: UPLOAD_PREFIX,
    });
    // The CDK's own custom resource that writes the bucket notification configuration at
    // deploy time; its role and policy are fixed by the CDK, not ours to narrow.
    const notificationsHandlerRole = this.node
      .findChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834')
      .node.findChild('Role');
    Validations.of(cfn(notificationsHandlerRole)).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'CDK-provided deploy-time handler for S3 bucket notifications; its role is defined by aws-cdk-lib.',
    });
    alarmOnDeadLetters(
      this,
      'StandardizeDeadLettersAlarm',
      deadLetters,
      'Dead-lettered uploads wait in the queue: StandardizeDeadLetters cannot settle them (see its logs).',
    );

    // ---- Functions (least privilege through the use* bind methods) ---------------------
    const http = { memoryMiB: 256, timeout: Duration.seconds(10), logRetentionDays: config.logRetentionDays, removalPolicy: keep };
    const admin = new SocleFunction(this, 'Admin', { context: 'admin', ...http })
      .useTable(table, 'readWrite')
      .useAdminSecret(adminToken);
    const publish = new SocleFunction(this, 'Publish', { context: 'publish', ...http })
      .useTable(table, 'readWrite')
      .useUploadBucket(uploadBucket, 'presign')
      .usePublicBucket(publicBucket, publicBaseUrl, 'readWrite')
      .useAdminSecret(adminToken)
      .setEnv('MAX_UPLOAD_BYTES', String(config.maxUploadBytes));
    // 1 GB: the records preview keeps parsed versions in memory (64 MB of JSON), and CPU scales with it.
    const catalog = new SocleFunction(this, 'Catalog', { context: 'catalog', ...http, memoryMiB: 1024 })
      .useTable(table, 'read')
      .usePublicBucket(publicBucket, publicBaseUrl, 'read');
    // 512 MB on purpose: standardization streams, so memory stays flat whatever the file size.
    const standardize = new SocleFunction(this, 'Standardize', {
      context: 'standardize',
      memoryMiB: 512,
      timeout: standardizeTimeout,
      nodeOptions: STANDARDIZE_NODE_OPTIONS,
      logRetentionDays: config.logRetentionDays,
      removalPolicy: keep,
    })
      .useTable(table, 'readWrite')
      .useUploadBucket(uploadBucket, 'process')
      .usePublicBucket(publicBucket, publicBaseUrl, 'readWrite')
      .setEnv('MAX_UPLOAD_BYTES', String(config.maxUploadBytes));
    standardize.fn.addEventSource(
      new SqsEventSource(uploads, { batchSize: 5, maxBatchingWindow: Duration.seconds(5), reportBatchItemFailures: true }),
    );
    // A message dead-lettered after 3 deliveries: settles its upload (leftovers of the attempts
    // removed, `failed` with a reason), also when no delivery returned (timeout, out of memory).
    const standardizeDeadLetters = new SocleFunction(this, 'StandardizeDeadLetters', {
      context: 'standardize',
      entry: 'dead-letter.ts',
      memoryMiB: 256,
      timeout: deadLettersTimeout,
      logRetentionDays: config.logRetentionDays,
      removalPolicy: keep,
    })
      .useTable(table, 'readWrite')
      .useUploadBucket(uploadBucket, 'process')
      .usePublicBucket(publicBucket, publicBaseUrl, 'readWrite');
    standardizeDeadLetters.fn.addEventSource(new SqsEventSource(deadLetters, { batchSize: 1, reportBatchItemFailures: true }));
    // Every invocation is an upload that 3 deliveries could not process: someone should look.
    standardizeDeadLetters.fn.metricInvocations({ period: Duration.minutes(1), statistic: 'Sum' }).createAlarm(this, 'UploadsDeadLetteredAlarm', {
      alarmDescription: 'An upload failed standardization 3 times; its upload is marked failed (see the StandardizeDeadLetters and Standardize logs).',
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    // ---- Consolidation: public bucket latest/datapackage.json → SQS (+ DLQ, alarm) → consolidate
    // Rebuilds the territory file of the dataset's schema and the catalogue exports; bursts are
    // coalesced with a generation counter and a lease in DynamoDB (functions/consolidate).
    const consolidateTimeout = Duration.minutes(5);
    const consolidationDeadLetters = new Queue(this, 'ConsolidationDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const consolidationQueue = new Queue(this, 'ConsolidationQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Longer than the lease (6 min): a retried message finds a dead holder's lease expired.
      visibilityTimeout: Duration.seconds(consolidateTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: consolidationDeadLetters, maxReceiveCount: 3 },
    });
    for (const event of [EventType.OBJECT_CREATED, EventType.OBJECT_REMOVED]) {
      publicBucket.addEventNotification(event, new SqsDestination(consolidationQueue), {
        prefix: 'datasets/',
        suffix: '/latest/datapackage.json',
      });
    }
    alarmOnDeadLetters(
      this,
      'ConsolidationDeadLettersAlarm',
      consolidationDeadLetters,
      'Consolidation (territory files, catalogue exports) failed 3 times for a publish event.',
    );
    const consolidate = new SocleFunction(this, 'Consolidate', {
      context: 'consolidate',
      memoryMiB: 1024,
      timeout: consolidateTimeout,
      logRetentionDays: config.logRetentionDays,
      removalPolicy: keep,
    })
      .useTable(table, 'readWrite')
      .usePublicBucket(publicBucket, publicBaseUrl, 'readWrite');
    consolidate.fn.addEventSource(
      new SqsEventSource(consolidationQueue, { batchSize: 10, maxBatchingWindow: Duration.seconds(10), reportBatchItemFailures: true }),
    );
    this.functions = { admin, publish, catalog, standardize, standardizeDeadLetters, consolidate };

    // ---- HTTP API: one route per entry of lib/routes.ts --------------------------------
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `socle-${config.stage}`,
      createDefaultStage: false,
      corsPreflight: {
        // Tokens travel in the Authorization header, never in cookies: any origin may call.
        allowOrigins: ['*'],
        allowHeaders: ['authorization', 'content-type'],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
        maxAge: Duration.days(1),
      },
    });
    const accessLogGroup = new LogGroup(this, 'ApiAccessLogs', {
      retention: retentionDays(config.logRetentionDays),
      removalPolicy: keep,
    });
    const stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.throttleRateLimit, burstLimit: config.throttleBurstLimit },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogGroup), format: accessLogFormat() },
    });

    const integrations: Record<HandlerName, HttpLambdaIntegration> = {
      admin: new HttpLambdaIntegration('AdminIntegration', admin.fn),
      publish: new HttpLambdaIntegration('PublishIntegration', publish.fn),
      catalog: new HttpLambdaIntegration('CatalogIntegration', catalog.fn),
    };
    routes.forEach((route) => {
      const [httpRoute] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrations[route.handler],
      });
      // Bearer tokens (admin / publisher, hashed in DynamoDB) are checked in the function,
      // per route (lib/routes.ts `auth`); public routes have no authorization on purpose.
      Validations.of(cfn(httpRoute)).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${routeKey(route)} (${route.auth}): bearer tokens are verified in the Lambda, per the route table.`,
      });
    });

    new CfnOutput(this, 'ApiUrl', { value: stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'PublicBaseUrl', { value: publicBaseUrl, description: 'Base URL of published files' });
    new CfnOutput(this, 'AdminTokenSecretArn', {
      value: adminToken.secretArn,
      description: 'aws secretsmanager get-secret-value --secret-id <this> --query SecretString --output text',
    });
  }
}

/** The CloudFormation resource of an L2 construct: acknowledgements go there, not on its children. */
function cfn(construct: IConstruct): IConstruct {
  const resource = construct.node.defaultChild;
  if (!resource) throw new Error(`${construct.node.path} has no default CloudFormation resource`);
  return resource;
}

/** JSON access log line with the HTTP API context variables worth keeping. */
function accessLogFormat(): AccessLogFormat {
  return AccessLogFormat.custom(
    JSON.stringify({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      requestTime: '$context.requestTime',
      routeKey: '$context.routeKey',
      path: '$context.path',
      status: '$context.status',
      protocol: '$context.protocol',
      responseLength: '$context.responseLength',
      responseLatency: '$context.responseLatency',
      integrationLatency: '$context.integrationLatency',
      integrationError: '$context.integrationErrorMessage',
      userAgent: '$context.identity.userAgent',
    }),
  );
}

/**
 * The CDK app: stage config from context (`-c stage=prod -c portalOrigin=…`), one stack
 * `Socle-<stage>`, and the cdk-nag AwsSolutions checks on everything.
 */
export function createSocleApp(props?: AppProps): { app: App; stack: SocleStack; config: StageConfig } {
  const app = new App(props);
  // S3 server access logs delivered through a bucket policy, not the legacy LogDeliveryWrite
  // ACL (ACLs stay disabled on every bucket). cdk.json sets no feature flags, so set it here.
  app.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
  // Only the keys the schema knows: the CDK puts its own entries in the context too.
  const context: Record<string, unknown> = {};
  for (const key of Object.keys(stageConfigSchema.shape)) {
    const value: unknown = app.node.tryGetContext(key);
    if (value !== undefined) context[key] = value;
  }
  const config = parseStageConfig(context);
  const stack = new SocleStack(app, `Socle-${config.stage}`, {
    config,
    description: `Socle open-data platform (${config.stage})`,
  });
  // writeSuppressionsToCloudFormation: every acknowledged rule and its reason is kept in the
  // template metadata (cdk_nag.rules_to_suppress), where the infra tests audit them.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  return { app, stack, config };
}

/** An alarm as soon as one message waits in a dead-letter queue (checked every minute). */
function alarmOnDeadLetters(scope: Construct, id: string, queue: Queue, description: string): void {
  queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }).createAlarm(scope, id, {
    alarmDescription: description,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
