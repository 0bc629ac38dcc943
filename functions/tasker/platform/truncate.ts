/** Truncation to the Step Functions callback limits (contract LIMITS). */

const MARKER = '…[truncated]';

/** Cuts `text` to at most `maxChars` characters, marking the cut. */
export function truncateChars(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return text.slice(0, Math.max(0, maxChars - MARKER.length)) + MARKER;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character, marking the cut. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(MARKER);
  // Not even the marker fits.
  if (budget < 0) return '';
  // Decoding a cut buffer may end in a partial character (U+FFFD); drop it.
  let cut = Buffer.from(text).subarray(0, budget).toString('utf8');
  while (cut.endsWith('\uFFFD') || Buffer.byteLength(cut) > budget) cut = cut.slice(0, -1);
  return cut + MARKER;
}
