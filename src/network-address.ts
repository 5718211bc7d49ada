import { isIPv6 } from 'node:net';

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/;

/**
 * The network a client's address stands for in limits per address: an IPv4 address itself, and
 * for IPv6 its /64. One home, office or phone is given a whole /64, so counting single IPv6
 * addresses would let one device pass for millions.
 */
export function networkOf(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const address = ip.split('%')[0]?.toLowerCase() ?? '';
  const mapped = IPV4_MAPPED.exec(address)?.[1];
  if (mapped) return mapped;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An IPv4 tail (64:ff9b::1.2.3.4) fills two groups.
  const width = left.length + right.length + (right.at(-1)?.includes('.') || left.at(-1)?.includes('.') ? 1 : 0);
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : 8 - width).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
