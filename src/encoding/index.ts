export * from './iid.js';
export * from './keys.js';
export * from './value-codec.js';
export * from './version.js';
