import { CAUSE_IDS, isCauseId, type CauseId } from '../cause-ids.js';
import { OTHER_CAUSES } from './any-causes.js';
import { APP_PROTOCOL_CAUSES } from './app-protocol-causes.js';
import { FLEET_CAUSES } from './fleet-causes.js';
import type { CauseInfo } from './cause-info.js';
import { HANDSHAKE_CAUSES } from './handshake-causes.js';
import { OPEN_CAUSES } from './open-causes.js';

const ENTRIES = { ...HANDSHAKE_CAUSES, ...OPEN_CAUSES, ...APP_PROTOCOL_CAUSES, ...FLEET_CAUSES, ...OTHER_CAUSES };

/** The cause taxonomy: title, explanation and remediation of every cause id, in CAUSE_IDS order. */
export const CAUSES: Readonly<Record<CauseId, CauseInfo>> = /* @__PURE__ */ Object.fromEntries(CAUSE_IDS.map((id) => [id, { id, ...ENTRIES[id] }])) as Record<
  CauseId,
  CauseInfo
>;

/** The taxonomy entry of a cause id; the `unknown` entry for anything that is not one. */
export function describeCause(id: string): CauseInfo {
  return isCauseId(id) ? CAUSES[id] : CAUSES.unknown;
}
