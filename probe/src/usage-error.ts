/** A bad command line: the message names the flag; `closewatch probe` exits with 2. */
export class ProbeUsageError extends Error {
  override name = 'ProbeUsageError';
}
