import { CAUSE_IDS, type CauseId } from '@closewatch/conventions';

/** One cause of the taxonomy as the API serves it. */
export interface CauseInfo {
  id: CauseId;
  phase: string;
  title: string;
  explanation: string;
  remediation: string;
}

// TEMPORARY until @closewatch/conventions exports CAUSES.
export function causeInfo(id: CauseId): CauseInfo {
  return { id, phase: 'any', title: id, explanation: '', remediation: '' };
}

export function causeTaxonomy(): CauseInfo[] {
  return CAUSE_IDS.map(causeInfo);
}
