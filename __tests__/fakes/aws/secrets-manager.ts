/** Fake Secrets Manager (AWS JSON 1.1): GetSecretValue by name or ARN from a map. */
import { randomUUID } from 'node:crypto';
import { FakeAwsError, type WireFormat } from './protocol';

export interface FakeSecret {
  readonly arn: string;
  readonly name: string;
  secretString: string;
  versionId: string;
  readonly createdSeconds: number;
}

export class FakeSecretsManager {
  readonly format: WireFormat = { protocol: 'json1.1', targetPrefix: 'secretsmanager', errorTypePrefix: '' };
  readonly secrets = new Map<string, FakeSecret>();

  constructor(
    private readonly region: string,
    private readonly accountId: string,
    private readonly now: () => number,
  ) {}

  /** Adds (or replaces, as a new version) a secret; returns its ARN. */
  putSecret(name: string, secretString: string): string {
    const existing = this.secrets.get(name);
    const arn = existing?.arn ?? `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:${name}-${randomUUID().slice(0, 6)}`;
    this.secrets.set(name, { arn, name, secretString, versionId: randomUUID(), createdSeconds: Math.floor(this.now() / 1000) });
    return arn;
  }

  throttlingError(): FakeAwsError {
    return new FakeAwsError('ThrottlingException', 'Rate exceeded', 400);
  }

  handle(action: string, input: Record<string, unknown>): object {
    if (action !== 'GetSecretValue') throw new FakeAwsError('UnknownOperationException', `The fake Secrets Manager does not implement ${action}`);
    const id = input['SecretId'];
    if (typeof id !== 'string' || !id) throw new FakeAwsError('InvalidParameterException', 'SecretId is required (a secret name or ARN)');
    const secret = this.secrets.get(id) ?? [...this.secrets.values()].find((s) => s.arn === id);
    if (!secret) throw new FakeAwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: secret.versionId,
      SecretString: secret.secretString,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: secret.createdSeconds,
    };
  }
}
