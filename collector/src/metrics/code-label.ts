import { isValidCloseCode } from '@closewatch/conventions';

/** The `code` label of a close with no code… */
export const NO_CODE_LABEL = 'none';
/** …and of every code outside 1000–1015 and 3000–4999, so bogus codes cannot crowd out real ones. */
export const INVALID_CODE_LABEL = 'invalid';

/** A close code as a label value: valid codes always keep their own (at most 2,016 values). */
export function codeLabel(code: number | null): string {
  if (code === null) return NO_CODE_LABEL;
  return isValidCloseCode(code) ? String(code) : INVALID_CODE_LABEL;
}
