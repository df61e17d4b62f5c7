// When a Hub download stops to ask the user first. Small on purpose: the page (computeClient) reads the
// threshold without pulling in the loader.

/** Downloads above this many bytes (300 MB) wait for the user's go-ahead. */
export const LARGE_DOWNLOAD_BYTES = 300_000_000;

/**
 * The threshold for this page: LARGE_DOWNLOAD_BYTES, or less with `?askAbove=BYTES` in the page address (for
 * a metered connection, or a test that cannot serve 300 MB). A link can only lower it: a larger or malformed
 * value is ignored, so no address makes a big download start without asking.
 */
export function askAboveFromQuery(search: string): number {
  const value = new URLSearchParams(search).get('askAbove');
  if (value === null || !/^\d{1,12}$/.test(value.trim())) return LARGE_DOWNLOAD_BYTES;
  return Math.min(LARGE_DOWNLOAD_BYTES, Number(value.trim()));
}
