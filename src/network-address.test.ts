import { describe, expect, it } from 'vitest';
import { networkOf } from './network-address.js';

describe('the network of a client address', () => {
  it('is an IPv4 address itself, however it is written', () => {
    expect(networkOf('203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('::FFFF:203.0.113.7')).toBe('203.0.113.7');
  });

  it("is an IPv6 address's /64, the block one device or home is given", () => {
    const block = '2001:db8:1:2::/64';
    for (const address of ['2001:db8:1:2::1', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:DB8:1:2:a::b']) {
      expect(networkOf(address)).toBe(block);
    }
    expect(networkOf('2001:db8:1:3::1')).not.toBe(block);
    expect(networkOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(networkOf('::1')).toBe('0:0:0:0::/64');
    expect(networkOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    // An IPv4 tail fills the last two groups.
    expect(networkOf('1::2:3:4:5:1.2.3.4')).toBe('1:0:2:3::/64');
  });
});
