import { describe, expect, it } from 'vitest';
import { networkOf } from '../network-address.js';
import { type Admission, LoginThrottle } from './login-throttle.js';

/** A throttle on a clock that moves only when the test says so. */
function throttleAt(rules: ConstructorParameters<typeof LoginThrottle>[0] = {}) {
  let now = 1_000_000;
  const throttle = new LoginThrottle(rules, () => now);
  return {
    throttle,
    wait: (ms: number) => {
      now += ms;
    },
  };
}

const admitted = (admissions: Admission[]) => admissions.filter((a) => a.admitted).length;
const refusal = (admission: Admission) => (admission.admitted ? undefined : admission);

/** `count` attempts begun before any of them is checked, as parallel requests are. */
const burst = (throttle: LoginThrottle, count: number, address: (i: number) => string, username = 'admin') =>
  Array.from({ length: count }, (_, i) => throttle.begin(username, address(i)));

describe('the sign-in throttle', () => {
  it('counts an attempt when it begins: of 25 at once from one address, five go on', () => {
    const { throttle } = throttleAt();
    const admissions = burst(throttle, 25, () => '203.0.113.7');
    expect(admitted(admissions)).toBe(5);
    expect(refusal(admissions[5] as Admission)).toEqual({ admitted: false, retryAfterSeconds: 1, heldBy: 'address' });
  });

  it('makes each further failure from one address wait twice as long, up to the cap', () => {
    const { throttle, wait } = throttleAt({ maxDelayMs: 8000 });
    burst(throttle, 5, () => '203.0.113.7');
    const waits = [];
    for (let i = 0; i < 6; i++) {
      const held = refusal(throttle.begin('admin', '203.0.113.7'));
      waits.push(held?.retryAfterSeconds);
      wait((held?.retryAfterSeconds ?? 0) * 1000);
      expect(throttle.begin('admin', '203.0.113.7').admitted).toBe(true);
    }
    expect(waits).toEqual([1, 2, 4, 8, 8, 8]);
  });

  it('makes the wait run from when a failure is known, not from when its check began', () => {
    const { throttle, wait } = throttleAt();
    const checks = burst(throttle, 5, () => '203.0.113.7');
    // Checking the passwords takes a while.
    wait(800);
    for (const check of checks) if (check.admitted) check.failed();
    wait(900);
    expect(refusal(throttle.begin('admin', '203.0.113.7'))).toMatchObject({ retryAfterSeconds: 1 });
    wait(100);
    expect(throttle.begin('admin', '203.0.113.7').admitted).toBe(true);
  });

  it('holds the guessing address only: the owner elsewhere goes on at once', () => {
    const { throttle } = throttleAt();
    burst(throttle, 25, () => '203.0.113.7');
    expect(throttle.begin('admin', '198.51.100.20').admitted).toBe(true);
    // Another account is not held from the guessing address either.
    expect(throttle.begin('olga', '203.0.113.7').admitted).toBe(true);
  });

  it('gives back what a success counted, and forgets the failures before it', () => {
    const { throttle } = throttleAt({ accountBurst: 6 });
    for (let i = 0; i < 4; i++) throttle.begin('Admin', '198.51.100.20');
    const right = throttle.begin('admin', '198.51.100.20');
    if (!right.admitted) throw new Error('refused');
    right.succeeded();
    // The account has that attempt back: two more from elsewhere, not one.
    expect(admitted(burst(throttle, 3, (i) => `203.0.113.${i + 1}`, 'ADMIN'))).toBe(2);
    // The address is not held for the failures before the success: five free ones again.
    expect(admitted(burst(throttle, 6, () => '198.51.100.20'))).toBe(5);
  });

  it('holds guessing over many addresses to the account ceiling, and opens again within one refill', () => {
    const { throttle, wait } = throttleAt({ accountBurst: 20, accountRefillMs: 30_000 });
    const admissions = burst(throttle, 100, (i) => `203.0.113.${i + 1}`);
    expect(admitted(admissions)).toBe(20);
    const held = refusal(admissions[20] as Admission);
    expect(held).toEqual({ admitted: false, retryAfterSeconds: 30, heldBy: 'account' });
    // Refused attempts are not counted: the next one is due one refill later, not 80.
    wait(30_000);
    expect(throttle.begin('admin', '198.51.100.20').admitted).toBe(true);
    expect(throttle.begin('admin', '198.51.100.21').admitted).toBe(false);
    // Over a day of guessing from everywhere, one attempt in 30 s gets through.
    let through = 0;
    for (let step = 0; step < (24 * 60 * 60) / 5; step++) {
      wait(5000);
      if (throttle.begin('admin', `2001:db8:${step.toString(16)}::1`).admitted) through++;
    }
    expect(through).toBe((24 * 60 * 60) / 30);
  });

  it("keeps the owner's usual address clear of the account ceiling", () => {
    const { throttle } = throttleAt({ accountBurst: 5 });
    const owner = throttle.begin('admin', '198.51.100.20');
    if (!owner.admitted) throw new Error('refused');
    owner.succeeded();
    burst(throttle, 50, (i) => `203.0.113.${i + 1}`);
    expect(throttle.begin('admin', '203.0.114.1').admitted).toBe(false);
    expect(throttle.begin('admin', '198.51.100.20').admitted).toBe(true);
  });

  it('counts an IPv6 address by its /64, and an IPv4-mapped one as IPv4', () => {
    expect(networkOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:db8::7')).toBe('2001:db8:0:0::/64');
    expect(networkOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(networkOf('::1')).toBe('0:0:0:0::/64');
    expect(networkOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('203.0.113.7')).toBe('203.0.113.7');

    const { throttle } = throttleAt();
    burst(throttle, 5, (i) => `2001:db8:1:2::${i + 1}`);
    expect(throttle.begin('admin', '2001:db8:1:2:ffff::9').admitted).toBe(false);
    expect(throttle.begin('admin', '2001:db8:1:3::1').admitted).toBe(true);
  });

  it('keeps at most maxRecords of each kind, forgetting the least recently used first', () => {
    const { throttle } = throttleAt({ maxRecords: 3, accountBurst: 1 });
    throttle.begin('admin', '203.0.113.7');
    expect(throttle.begin('admin', '203.0.113.8').admitted).toBe(false);
    // Three other accounts tried from three other addresses push out the admin's records.
    for (const name of ['a', 'b', 'c']) throttle.begin(name, `198.51.100.${name.charCodeAt(0)}`);
    expect(throttle.begin('admin', '203.0.113.8').admitted).toBe(true);
  });
});
