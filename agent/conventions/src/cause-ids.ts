/** The cause taxonomy's ids (docs/design.md). These ids are the contract: add one only with its rule and tests. */
export const CAUSE_IDS = [
  'handshake_auth_rejected',
  'handshake_http_rejected',
  'handshake_subprotocol_mismatch',
  'handshake_not_websocket',
  'handshake_blocked_by_browser',
  'handshake_timeout',
  'handshake_network_error',
  'handshake_aborted_by_client',
  'client_offline',
  'client_suspended',
  'page_unload',
  'server_terminated',
  'server_heartbeat_timeout',
  'server_rejected_frame',
  'server_shutdown',
  'server_gone',
  'client_heartbeat_timeout',
  'app_connect_rejected',
  'app_init_timeout',
  'intermediary_timeout',
  'intermediary_dropped',
  'connection_lost',
  'close_handshake_timeout',
  'normal_closure',
  'application_close',
  'unknown',
] as const;
export type CauseId = (typeof CAUSE_IDS)[number];

/** True for a string that is one of the taxonomy's cause ids. */
export function isCauseId(value: unknown): value is CauseId {
  return typeof value === 'string' && (CAUSE_IDS as readonly string[]).includes(value);
}
