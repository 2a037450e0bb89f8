/**
 * Whether a value is (or embeds) a cdktf token, a value known only at apply time. A string can only
 * be one if it carries cdktf's token marker, so plain settings (the platform config from cdktf.json
 * and the environment) are checked without loading cdktf; anything else asks cdktf.
 */
export function isToken(value: unknown): boolean {
  if (typeof value === 'string' && !value.includes('TfToken[')) return false;
  if (value === null || value === undefined || typeof value === 'boolean') return false;
  return (require('cdktf') as typeof import('cdktf')).Token.isUnresolved(value);
}
