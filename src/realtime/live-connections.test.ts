import { describe, expect, it } from 'vitest';
import { type Admission, LiveConnections } from './live-connections.js';

const release = (admission: Admission) => {
  if (!admission.admitted) throw new Error(`refused: ${admission.full}`);
  admission.release();
};

describe('the count of live connections', () => {
  it('admits an address up to its cap, and again once one leaves', () => {
    const connections = new LiveConnections({ perAddress: 2, perInstance: 0 });
    const first = connections.admit('198.51.100.7');
    expect(connections.admit('198.51.100.7').admitted).toBe(true);
    expect(connections.admit('198.51.100.7')).toEqual({ admitted: false, full: 'address' });
    expect(connections.admit('203.0.113.9').admitted).toBe(true);
    release(first);
    // Given back once, however often its release is called.
    release(first);
    expect(connections.admit('198.51.100.7').admitted).toBe(true);
    expect(connections.admit('198.51.100.7').admitted).toBe(false);
  });

  it('counts the addresses of one IPv6 /64 together', () => {
    const connections = new LiveConnections({ perAddress: 2, perInstance: 0 });
    expect(connections.admit('2001:db8:1:2::1').admitted).toBe(true);
    expect(connections.admit('2001:db8:1:2::2').admitted).toBe(true);
    expect(connections.admit('2001:db8:1:2:ffff::3')).toEqual({ admitted: false, full: 'address' });
    expect(connections.admit('2001:db8:1:3::1').admitted).toBe(true);
  });

  it('holds the whole instance to its cap, whatever the addresses', () => {
    const connections = new LiveConnections({ perAddress: 0, perInstance: 3 });
    const admitted = ['192.0.2.1', '192.0.2.2', '192.0.2.3'].map((address) => connections.admit(address));
    expect(admitted.every((admission) => admission.admitted)).toBe(true);
    expect(connections.admit('192.0.2.4')).toEqual({ admitted: false, full: 'instance' });
    release(admitted[1] as Admission);
    expect(connections.admit('192.0.2.4').admitted).toBe(true);
  });

  it('admits anyone when both caps are 0', () => {
    const connections = new LiveConnections({ perAddress: 0, perInstance: 0 });
    for (let i = 0; i < 5000; i++) expect(connections.admit('198.51.100.7').admitted).toBe(true);
  });
});
