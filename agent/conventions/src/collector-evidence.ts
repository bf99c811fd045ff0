/**
 * Keys of what the collector itself adds to a connection's record, never sent by an agent.
 *
 * `clock_offset_ms`: a side's clock minus the collector's, in ms, as the collector estimated it to place
 * that side on its own timeline (DESIGN.md "Collector time"). Positive: the agent's clock was ahead.
 * Times an agent sent are kept as sent; subtract the offset to get the collector's time.
 */
export const EVIDENCE_CLOCK_OFFSET_MS = 'clock_offset_ms';
