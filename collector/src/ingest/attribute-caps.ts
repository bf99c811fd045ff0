/** Bounds on what one span may bring into the store, so a misbehaving agent cannot bloat rows or memory. */
export const ATTRIBUTE_CAPS = {
  /** Longest string attribute value kept, in UTF-16 code units. */
  maxStringLength: 1024,
  maxArrayItems: 32,
  maxAttributesPerSpan: 128,
  maxResourceAttributes: 64,
  maxEventsPerSpan: 64,
  maxAttributesPerEvent: 16,
  maxKeyLength: 128,
  maxNameLength: 128,
  /** kvlistValue inside kvlistValue: deeper makes the span rejected. */
  maxNestingDepth: 8,
} as const;
