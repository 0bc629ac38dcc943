/**
 * How the task token is stored in the tracking item: the token is most of the item, and DynamoDB bills
 * a write per started KB, so a token that is base64 text is stored as the bytes it encodes (a quarter
 * smaller), with a one-byte tag naming the spelling that gives the exact text back. Any other token is
 * stored as it is. Reading accepts both forms (and so items written before this encoding).
 */

/** The base64 spellings a token may use; the tag is the first byte of the stored value. */
const SPELLINGS: readonly { tag: number; encode: (bytes: Buffer) => string }[] = [
  { tag: 1, encode: (bytes) => bytes.toString('base64') },
  { tag: 2, encode: (bytes) => bytes.toString('base64url') },
  { tag: 3, encode: (bytes) => bytes.toString('base64').replace(/=+$/, '') },
];

/** The form to store: tagged bytes when the token is base64 that decodes and re-encodes to itself, else the text. */
export function toStoredTaskToken(token: string): string | Uint8Array {
  // Node's decoder accepts both alphabets, with or without padding; the round trip below decides.
  const bytes = Buffer.from(token, 'base64');
  if (bytes.length === 0) return token;
  const spelling = SPELLINGS.find((candidate) => candidate.encode(bytes) === token);
  if (!spelling) return token;
  const stored = new Uint8Array(bytes.length + 1);
  stored[0] = spelling.tag;
  stored.set(bytes, 1);
  return stored;
}

/** The token text back from what the item holds. */
export function fromStoredTaskToken(stored: string | Uint8Array): string {
  if (typeof stored === 'string') return stored;
  const spelling = SPELLINGS.find((candidate) => candidate.tag === stored[0]);
  if (!spelling) throw new Error(`stored task token has an unknown tag ${stored[0]}`);
  return spelling.encode(Buffer.from(stored.buffer, stored.byteOffset + 1, stored.byteLength - 1));
}
