// A 53-bit content hash (cyrb53: two 32-bit multiply-xorshift lanes mixed at the end) of text or bytes,
// as 14 hex digits: what names a corpus file in links and keys the browser's cache of corpus results.
// Not cryptographic — it tells apart the files one person opens, not files made to collide.

/** cyrb53 of the UTF-16 code units of a string, or of the bytes of an array. */
export function contentHash(data: string | Uint8Array, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  const n = data.length;
  const isText = typeof data === 'string';
  for (let i = 0; i < n; i++) {
    const c = isText ? data.charCodeAt(i) : data[i];
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const value = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return value.toString(16).padStart(14, '0');
}
