import { apiGet } from './client.js';
import type { CauseInfo } from './types.js';

let taxonomy: Promise<CauseInfo[]> | null = null;

/** The cause taxonomy, fetched once per page load (it only changes with a collector upgrade). */
export function loadCauses(): Promise<CauseInfo[]> {
  taxonomy ??= apiGet<{ causes: CauseInfo[] }>('/causes').then(
    (body) => body.causes,
    (error: unknown) => {
      taxonomy = null;
      throw error;
    },
  );
  return taxonomy;
}

export async function loadCauseTitles(): Promise<Record<string, string>> {
  try {
    return Object.fromEntries((await loadCauses()).map((c) => [c.id, c.title]));
  } catch {
    return {};
  }
}
