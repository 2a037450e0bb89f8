import { Fn, Lazy, Token } from 'cdktf';
import { isToken } from '../constructs/tokens';

describe('isToken', () => {
  it('agrees with cdktf on tokens of every kind', () => {
    const values: unknown[] = [
      Fn.join('-', ['a', 'b']),
      `prefix-${Fn.upper('x')}`,
      Token.asList(Lazy.anyValue({ produce: () => ['a'] })),
      Token.asNumber(Lazy.numberValue({ produce: () => 1 })),
      Lazy.anyValue({ produce: () => ({ a: 1 }) }),
    ];
    for (const value of values) expect({ value, token: isToken(value) }).toEqual({ value, token: true });
  });

  it('says a plain value is not a token', () => {
    for (const value of ['', 'vpc-0123', '${var.x}', 'TfToken', 0, 42, -7, 2 ** 53, NaN, Infinity, -Infinity, -1e300, -(2 ** 960), true, null, undefined, ['a'], { a: 1 }]) {
      expect({ value, token: isToken(value) }).toEqual({ value, token: Token.isUnresolved(value) });
      expect(isToken(value)).toBe(false);
    }
  });
});
