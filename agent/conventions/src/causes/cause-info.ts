import type { CauseId } from '../cause-ids.js';
import type { Phase } from '../phases.js';

/** What the dashboard and `closes/:id` show for a cause. */
export interface CauseInfo {
  id: CauseId;
  /** The phase the cause belongs to; `any` when it can end a connection in any phase. */
  phase: Phase | 'any';
  title: string;
  /** One paragraph in plain words: what happened and what the browser hid. */
  explanation: string;
  /** Concrete steps, with numbers and config names. */
  remediation: string;
}

export type CauseEntry = Omit<CauseInfo, 'id'>;
