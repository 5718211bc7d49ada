/**
 * Fan-out of already-serialized live messages to every subscriber of a channel (a poll),
 * whichever instance they are connected to. Payloads are strings so that a message is
 * serialized once per broadcast, not once per socket.
 */
export interface Broadcaster {
  publish(channel: string, payload: string): Promise<void>;
  /**
   * Resolves, with how to unsubscribe, once every message published after that moment (on any
   * instance) reaches the listener: a viewer reads its snapshot only then, so that no change
   * falls between the snapshot and the first message.
   */
  subscribe(channel: string, listener: (payload: string) => void): Promise<() => void>;
  /**
   * Where messages can be lost (a link between instances that went down and came back), calls
   * `listener` with each channel whose subscribers may have missed some: they should be sent the
   * current state afresh.
   */
  onResync?(listener: (channel: string) => void): void;
  close(): Promise<void>;
}
