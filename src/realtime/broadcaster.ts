/**
 * Fan-out of already-serialized live messages to every subscriber of a channel (a poll),
 * whichever instance they are connected to. Payloads are strings so that a message is
 * serialized once per broadcast, not once per socket.
 */
export interface Broadcaster {
  publish(channel: string, payload: string): Promise<void>;
  subscribe(channel: string, listener: (payload: string) => void): () => void;
  close(): Promise<void>;
}
