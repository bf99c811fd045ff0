/** How long a row claimed by `claimExpired` stays hidden from other sweepers; a crashed claimer's rows come back after it. */
export const CLAIM_LEASE_MS = 60_000;

/** Upper bound on timeseries points, so a tiny bucket over a long range cannot build a huge response. */
export const MAX_TIMESERIES_POINTS = 10_000;

/** Default number of routes and services in a summary's top lists. */
export const DEFAULT_TOP_N = 10;

/**
 * The longest join window a collector may be configured with (`joinWindowMs`): a pending row never
 * waits longer than this after its last side arrived. Rows written with a deadline past it (by versions
 * whose window ran from the span's end, on the sender's clock) are held to it when the store loads them.
 */
export const MAX_JOIN_WINDOW_MS = 24 * 3_600_000;
