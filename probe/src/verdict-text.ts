import { CAUSES, type CauseId } from '@closewatch/conventions';
import type { ProbeVerdict } from './report.js';

/** A problem verdict worded by the cause taxonomy, with what the probe saw as evidence. */
export function problemVerdict(cause: CauseId, evidence: string[]): ProbeVerdict {
  const info = CAUSES[cause];
  return { ok: false, cause, title: info.title, explanation: info.explanation, remediation: info.remediation, evidence };
}
