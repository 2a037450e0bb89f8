/**
 * Whether a value is (or embeds) a cdktf token, a value known only at apply time. A string can only
 * be one if it carries cdktf's token marker, and a number only if it is a negative double of magnitude
 * 2^960 or more (cdktf marks a number token in the top 16 bits), so plain settings (the platform
 * config from cdktf.json and the environment) are checked without loading cdktf; anything else asks cdktf.
 */
export function isToken(value: unknown): boolean {
  if (typeof value === 'string' && !value.includes('TfToken[')) return false;
  if (typeof value === 'number' && !(value <= -(2 ** 960))) return false;
  if (value === null || value === undefined || typeof value === 'boolean') return false;
  return (require('cdktf') as typeof import('cdktf')).Token.isUnresolved(value);
}
