// Types for the part of scripts/lib.mjs the tests written in TypeScript use.

/** A free port of the block [start, start + size), trying from `start + from` on (see scripts/lib.mjs). */
export function freePortInBlock(start: number, size: number, from?: number): Promise<number>;
