/** How long a row claimed by `claimExpired` stays hidden from other sweepers; a crashed claimer's rows come back after it. */
export const CLAIM_LEASE_MS = 60_000;

/** Upper bound on timeseries points, so a tiny bucket over a long range cannot build a huge response. */
export const MAX_TIMESERIES_POINTS = 10_000;

/** Default number of routes and services in a summary's top lists. */
export const DEFAULT_TOP_N = 10;
