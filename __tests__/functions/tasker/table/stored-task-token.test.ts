import { randomBytes } from 'node:crypto';
import { fromStoredTaskToken, toStoredTaskToken } from '../../../../functions/tasker/table/stored-task-token';

const roundTrip = (token: string): string => fromStoredTaskToken(toStoredTaskToken(token));

describe('stored task token', () => {
  it.each([
    ['standard base64 with padding and +/', Buffer.from([0xfb, 0xff, 0xfe, 0x01, 0x02]).toString('base64')],
    ['standard base64 without padding', Buffer.from([0xfb, 0xff, 0xfe, 0x01, 0x02]).toString('base64').replace(/=+$/, '')],
    ['base64url', randomBytes(510).toString('base64url')],
    ['the longest token (2,048 characters)', randomBytes(1536).toString('base64')],
  ])('%s is stored as tagged bytes, a quarter smaller, and read back exactly', (_name, token) => {
    const stored = toStoredTaskToken(token);
    expect(stored).toBeInstanceOf(Uint8Array);
    expect((stored as Uint8Array).byteLength).toBeLessThanOrEqual(Math.ceil((token.length * 3) / 4) + 1);
    expect(fromStoredTaskToken(stored)).toBe(token);
  });

  it.each([
    ['a test token with a dash and odd length', 'token-6f1c2d9e-5d1a-4e7b-9a55-3f0c2d9e7a41'],
    ['characters outside base64', 'abc$def!'],
    ['base64 with a non-canonical last character', 'QQ=='.replace('Q=', 'R=')],
    ['whitespace inside', 'QUJD REVG'],
    ['empty', ''],
  ])('%s is stored as the text itself', (_name, token) => {
    expect(toStoredTaskToken(token)).toBe(token);
    expect(roundTrip(token)).toBe(token);
  });

  it('items written before the encoding (plain text) still read back', () => {
    expect(fromStoredTaskToken('AQCEAAAA+/==')).toBe('AQCEAAAA+/==');
  });

  it('an unknown tag is a clear error, not a wrong token', () => {
    expect(() => fromStoredTaskToken(new Uint8Array([9, 1, 2]))).toThrow(/unknown tag 9/);
  });
});
