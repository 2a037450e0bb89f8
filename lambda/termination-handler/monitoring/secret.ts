/**
 * Monitoring credentials from Secrets Manager (a JSON secret), fetched once per container and shared
 * by its invocations. A failed fetch is not cached, so the next attempt asks again. Errors name the
 * secret and the expected fields, never a value.
 */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type * as z from '../zod';
import type { AwsClients } from '../clients';

export type SecretCache = Map<string, Promise<unknown>>;

export async function readJsonSecret<T>(
  schema: z.ZodMiniType<T>,
  secretArn: string,
  clients: Pick<AwsClients, 'secrets'>,
  cache: SecretCache,
): Promise<T> {
  let pending = cache.get(secretArn);
  if (!pending) {
    pending = clients.secrets.send(new GetSecretValueCommand({ SecretId: secretArn })).then((out) => {
      try {
        return JSON.parse(out.SecretString ?? '') as unknown;
      } catch {
        throw new Error(`secret ${secretArn} must hold a JSON object (SecretString), not plain text or binary`);
      }
    });
    cache.set(secretArn, pending);
    pending.catch(() => cache.delete(secretArn));
  }
  const parsed = schema.safeParse(await pending);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new Error(`secret ${secretArn} is missing or has invalid fields: ${fields} (expected a JSON object with non-empty strings)`);
  }
  return parsed.data;
}
