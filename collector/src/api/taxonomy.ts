import { CAUSE_IDS, CAUSES, describeCause, type CauseId, type CauseInfo } from '@closewatch/conventions';

export type { CauseInfo };

/** The taxonomy entry shown for a stored cause id. */
export function causeInfo(id: CauseId): CauseInfo {
  return describeCause(id);
}

/** Every cause in CAUSE_IDS order, for `GET /api/v1/causes`. */
export function causeTaxonomy(): CauseInfo[] {
  return CAUSE_IDS.map((id) => CAUSES[id]);
}
