import type { LiveConnectionCaps } from '../config.js';
import { networkOf } from '../network-address.js';

/** A place taken for a connection, or the cap that is full. */
export type Admission = { admitted: true; release(): void } | { admitted: false; full: 'address' | 'instance' };

/**
 * Counts this instance's live connections, per network address and in all. Each one holds a socket
 * and some memory for as long as its viewer stays: without a cap, one address can open them until
 * the process runs out of file descriptors, and then nobody can vote.
 */
export class LiveConnections {
  private readonly perNetwork = new Map<string, number>();
  private total = 0;

  constructor(private readonly caps: LiveConnectionCaps) {}

  /** Takes a place for a new connection from the address; its `release` gives it back, once, however often called. */
  admit(address: string): Admission {
    const network = networkOf(address);
    const fromNetwork = this.perNetwork.get(network) ?? 0;
    if (this.caps.perAddress > 0 && fromNetwork >= this.caps.perAddress) return { admitted: false, full: 'address' };
    if (this.caps.perInstance > 0 && this.total >= this.caps.perInstance) return { admitted: false, full: 'instance' };
    this.perNetwork.set(network, fromNetwork + 1);
    this.total++;
    let held = true;
    return {
      admitted: true,
      release: () => {
        if (!held) return;
        held = false;
        this.total--;
        const left = (this.perNetwork.get(network) ?? 1) - 1;
        if (left > 0) this.perNetwork.set(network, left);
        else this.perNetwork.delete(network);
      },
    };
  }
}
