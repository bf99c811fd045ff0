import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';

/** A resolver the test controls: listed names resolve to the given address (or the function's answer), others through the system's. */
export function fakeLookup(names: Record<string, string | (() => string)>): LookupFunction {
  return function lookupFake(hostname, options, callback) {
    const entry = names[hostname];
    if (entry === undefined) return dnsLookup(hostname, options, callback);
    const address = typeof entry === 'function' ? entry() : entry;
    const family = address.includes(':') ? 6 : 4;
    if (options.all) callback(null, [{ address, family }] as LookupAddress[]);
    else callback(null, address, family);
  };
}
