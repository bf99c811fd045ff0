import { BlockList, isIP } from 'node:net';

/** Address ranges an outgoing request from the collector must be careful with. */
export type AddressKind = 'loopback' | 'link_local' | 'metadata' | 'unspecified';

interface Range {
  kind: AddressKind;
  /** `address/prefix` */
  cidr: string;
}

/** Checked in this order; the first match names the address. */
const RANGES: readonly Range[] = [
  { kind: 'metadata', cidr: 'fd00:ec2::254/128' }, // AWS instance metadata over IPv6
  { kind: 'metadata', cidr: '100.100.100.200/32' }, // Alibaba Cloud instance metadata
  { kind: 'link_local', cidr: '169.254.0.0/16' }, // also AWS, GCP, Azure, OpenStack metadata at 169.254.169.254
  { kind: 'link_local', cidr: 'fe80::/10' },
  { kind: 'loopback', cidr: '127.0.0.0/8' },
  { kind: 'loopback', cidr: '::1/128' },
  { kind: 'unspecified', cidr: '0.0.0.0/8' }, // a connection to 0.0.0.0 reaches this machine
  { kind: 'unspecified', cidr: '::/128' },
];

export type IpFamily = 'ipv4' | 'ipv6';

/** 'ipv4' | 'ipv6' for an IP literal (brackets allowed), null for anything else. */
export function ipFamily(address: string): IpFamily | null {
  const family = isIP(address);
  return family === 4 ? 'ipv4' : family === 6 ? 'ipv6' : null;
}

/** Adds `address` or `address/prefix` to the list; false (nothing added) when it is neither. */
export function addRange(list: BlockList, entry: string): boolean {
  const [address = '', prefixText, extra] = entry
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .split('/');
  const family = ipFamily(address);
  if (family === null || extra !== undefined) return false;
  const bits = family === 'ipv4' ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1;
  if (prefix < 0 || prefix > bits) return false;
  list.addSubnet(address, prefix, family);
  return true;
}

const LISTS = RANGES.map(function rangeList(range) {
  const list = new BlockList();
  addRange(list, range.cidr);
  return { kind: range.kind, list };
});

/** Which of the careful ranges an IP address is in (IPv4-mapped IPv6 counts as IPv4), or null. */
export function addressKind(address: string): AddressKind | null {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  const family = ipFamily(bare);
  if (family === null) return null;
  return LISTS.find(({ list }) => list.check(bare, family))?.kind ?? null;
}
