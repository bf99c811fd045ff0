export * from './attributes.js';
export * from './phases.js';
export * from './cause-ids.js';
export type * from './classify-types.js';
