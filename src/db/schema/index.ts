export * from './core.js';
export * from './planning.js';
export * from './measurements.js';
export * from './evaluations.js';
export * from './evaluators.js';
export * from './planning-cycle.js';
export * from './events.js';
