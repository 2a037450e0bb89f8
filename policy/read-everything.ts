/**
 * Which grants read an account's data wholesale: AWS-managed policies known to allow reading
 * parameters, secrets, objects, items, messages or log events on `"*"`, and the data-read actions
 * themselves. Container-image pulls (ECR) are left out: nodes must pull images, and images are
 * code rather than data. Describe/List calls are left out too: they read metadata only.
 */

/** AWS-managed policy name → what it reads on `"*"` (from its published document). */
export const MANAGED_POLICIES_READING_EVERYTHING: Record<string, string> = {
  AmazonSSMManagedInstanceCore: 'ssm:GetParameter/GetParameters on every SSM parameter',
  AmazonSSMReadOnlyAccess: 'ssm:Get* on every SSM parameter',
  AmazonSSMFullAccess: 'ssm:* on every SSM parameter',
  AmazonEC2RoleforSSM: 'ssm:GetParameters and s3:GetObject on every parameter and object',
  AmazonS3ReadOnlyAccess: 's3:Get* on every object',
  AmazonS3FullAccess: 's3:* on every object',
  SecretsManagerReadWrite: 'secretsmanager:* on every secret',
  AmazonDynamoDBReadOnlyAccess: 'dynamodb:GetItem/Query/Scan on every table',
  AmazonDynamoDBFullAccess: 'dynamodb:* on every table',
  AmazonSQSFullAccess: 'sqs:* (ReceiveMessage) on every queue',
  CloudWatchLogsReadOnlyAccess: 'logs:Get*/FilterLogEvents on every log group',
  CloudWatchLogsFullAccess: 'logs:* on every log group',
  ReadOnlyAccess: 'Get* across nearly every service',
  PowerUserAccess: 'every action but IAM and Organizations',
  AdministratorAccess: 'every action',
};

/** Actions that return an account's data (not its metadata). */
export const DATA_READ_ACTIONS = [
  'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory',
  'secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue',
  's3:GetObject', 's3:GetObjectVersion',
  'kms:Decrypt',
  'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan',
  'sqs:ReceiveMessage',
  'logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:StartQuery',
];

/** The data-read actions an IAM action pattern (`ssm:Get*`, `*`) allows. */
export function dataReadsOf(pattern: string): string[] {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\?/g, '.')).join('.*')}$`, 'i');
  return DATA_READ_ACTIONS.filter((a) => re.test(a));
}

/** `arn:<partition>:iam::aws:policy/[path/]Name` → `Name`, when `Name` reads everything. */
export function managedPolicyReadingEverything(arn: unknown): string | undefined {
  const m = typeof arn === 'string' ? /:iam::aws:policy\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn) : null;
  return m && m[1] in MANAGED_POLICIES_READING_EVERYTHING ? m[1] : undefined;
}
