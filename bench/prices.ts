/**
 * Public list prices the benchmark uses to turn counted requests into dollars.
 *
 * Region us-east-1 (N. Virginia), on-demand list prices without free tiers, as published on the AWS
 * pricing pages on the date below (Step Functions, Lambda, SQS, DynamoDB and CloudWatch pricing pages;
 * Lambda: https://aws.amazon.com/lambda/pricing/, "AWS Lambda Pricing", x86 and Arm price tables).
 * Update `checkedOn` together with any figure.
 */
export const PRICES = {
  region: 'us-east-1',
  checkedOn: '2026-11-25',
  /** Step Functions Standard: $0.025 per 1,000 state transitions (retries count). */
  stepFunctionsPerTransition: 0.025 / 1_000,
  /** Lambda: $0.20 per 1M requests. */
  lambdaPerRequest: 0.2 / 1_000_000,
  /** Lambda duration, x86_64, first pricing tier (first 6 billion GB-s a month): $0.0000166667 per GB-second (billed per 1 ms). */
  lambdaPerGbSecond: 0.0000166667,
  /** Lambda duration, arm64 (Graviton), first pricing tier (first 7.5 billion GB-s a month): $0.0000133334 per GB-second. */
  lambdaArmPerGbSecond: 0.0000133334,
  /** Lambda requests on arm64: $0.20 per 1M, the same as x86_64. */
  lambdaArmPerRequest: 0.2 / 1_000_000,
  /** SQS standard queue: $0.40 per 1M requests (each 64 KB chunk of a request is one request). */
  sqsPerRequest: 0.4 / 1_000_000,
  /** DynamoDB on-demand: $0.625 per 1M write request units. */
  dynamoPerWru: 0.625 / 1_000_000,
  /** DynamoDB on-demand: $0.125 per 1M read request units. */
  dynamoPerRru: 0.125 / 1_000_000,
  /** CloudWatch Logs standard ingestion: $0.50 per GB. */
  logsPerGb: 0.5,
  /**
   * Not priced, because free: AWS service events (Redshift Data API status changes) on the default event
   * bus and their rule targets; Redshift Data API calls (you pay the cluster or RPU time, which is the
   * same for both approaches); Step Functions API calls such as SendTaskSuccess.
   */
  free: ['EventBridge service events on the default bus', 'Redshift Data API requests', 'Step Functions SendTask* API calls'],
} as const;

export type Prices = Omit<typeof PRICES, 'free'>;
