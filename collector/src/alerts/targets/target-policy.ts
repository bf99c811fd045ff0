import { lookup as dnsLookup } from 'node:dns';
import { BlockList, type LookupFunction } from 'node:net';
import { addRange, addressKind, ipFamily, type AddressKind } from '../../address-ranges.js';
import type { CollectorConfig } from '../../config.js';
import { isExposed } from '../../exposure.js';

/** Where alert notifications may go: checked when a rule is saved and again for every connection. */
export interface AlertTargetPolicy {
  /** The collector listens beyond loopback, so loopback targets are refused too. */
  exposed: boolean;
  /** Addresses the operator allowed although they fall in a refused range. */
  allowlist: BlockList;
  /** How target host names are resolved (dns.lookup; tests inject their own). */
  lookup: LookupFunction;
}

export function alertTargetPolicy(config: Pick<CollectorConfig, 'host' | 'alertTargetAllowlist'>, lookup: LookupFunction = dnsLookup): AlertTargetPolicy {
  const allowlist = new BlockList();
  for (const entry of config.alertTargetAllowlist) addRange(allowlist, entry);
  return { exposed: isExposed(config), allowlist, lookup };
}

/** What a collector on loopback with no allowlist permits: everything but link-local and metadata. */
export const LOOPBACK_TARGET_POLICY: AlertTargetPolicy = { exposed: false, allowlist: new BlockList(), lookup: dnsLookup };

const WHY: Record<AddressKind, string> = {
  metadata: 'a cloud metadata address',
  link_local: 'a link-local address (169.254.0.0/16, fe80::/10, where cloud metadata services answer)',
  unspecified: 'an unspecified address (0.0.0.0, ::), which reaches this machine',
  loopback: 'a loopback address, refused while the collector listens beyond loopback',
};

/** Why an alert target may not reach this IP address, or null when it may. */
export function addressRefusal(address: string, policy: AlertTargetPolicy): string | null {
  const kind = addressKind(address);
  if (kind === null || (kind === 'loopback' && !policy.exposed)) return null;
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  if (policy.allowlist.check(bare, ipFamily(bare)!)) return null;
  return `${bare} is ${WHY[kind]}; allow it with CLOSEWATCH_ALERT_TARGET_ALLOWLIST if you mean it`;
}

/** The URL's host without IPv6 brackets. */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

function resolveAll(host: string, lookup: LookupFunction): Promise<string[]> {
  return new Promise((resolve) => {
    lookup(host, { all: true }, function onResolved(error, addresses) {
      if (error) resolve([]);
      else resolve(Array.isArray(addresses) ? addresses.map((entry) => entry.address) : [String(addresses)]);
    });
  });
}

/**
 * Why a target URL is refused when a rule is saved, or null: scheme other than http(s), an address in a
 * refused range, or a host name resolving to one. A name that does not resolve now passes: it is checked
 * again, against the address actually connected to, at every send.
 */
export async function targetUrlRefusal(url: URL, policy: AlertTargetPolicy): Promise<string | null> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  const host = urlHost(url);
  if (ipFamily(host) !== null) return addressRefusal(host, policy);
  for (const address of await resolveAll(host, policy.lookup)) {
    const refusal = addressRefusal(address, policy);
    if (refusal !== null) return `${host} resolves to ${refusal}`;
  }
  return null;
}
