/** Phase in which a connection ended. */
export const PHASES = ['handshake', 'open', 'closing'] as const;
export type Phase = (typeof PHASES)[number];

/** Who sent the first close frame or called close/terminate. */
export const INITIATORS = ['client', 'server', 'unknown'] as const;
export type Initiator = (typeof INITIATORS)[number];

/** How the server side of a connection ended (`websocket.termination`). */
export const TERMINATIONS = ['close', 'terminate', 'abort_handshake', 'socket_error', 'socket_end', 'process_exit'] as const;
export type Termination = (typeof TERMINATIONS)[number];

/**
 * Which agents reported a final connection record: `server_snapshot` is the server's span with the
 * browser's last open-connection snapshot in place of its close record, which never came.
 */
export const OBSERVERS = ['client', 'server', 'both', 'server_snapshot'] as const;
export type ObservedBy = (typeof OBSERVERS)[number];

/** Which side a span describes. */
export const SIDES = ['client', 'server'] as const;
export type Side = (typeof SIDES)[number];
