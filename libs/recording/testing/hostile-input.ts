/**
 * Names found on Object.prototype (and `__proto__`, `prototype`): each was once looked up
 * through a prototype somewhere, so every entry point is tested with them as keys, types and ids.
 */
export const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'prototype',
  'hasOwnProperty',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  'toString',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
];
