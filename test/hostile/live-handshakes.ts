import { get } from 'node:http';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { metricsText } from '../helpers.js';

export interface HandshakeOutcome {
  opened: boolean;
  status?: number;
}

/** Opens a WebSocket with the headers a browser would send; resolves with the handshake's outcome. */
export function webSocketHandshake(url: string, headers: Record<string, string>): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => {
      socket.close();
      resolve({ opened: true });
    });
    socket.on('unexpected-response', (_request, response) => resolve({ opened: false, status: response.statusCode }));
    socket.on('error', () => resolve({ opened: false }));
  });
}

/** Opens a Server-Sent Events stream with those headers: opened when it answers 200 with the stream. */
export function eventStreamHandshake(url: string, headers: Record<string, string>): Promise<HandshakeOutcome> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers }, (response) => {
      const status = response.statusCode ?? 0;
      const opened = status === 200 && String(response.headers['content-type']).startsWith('text/event-stream');
      response.destroy();
      resolve({ opened, status });
    });
    request.on('error', reject);
  });
}

/** Live connections open on the app now, both transports together, as its metrics say. */
export async function liveConnections(app: FastifyInstance): Promise<number> {
  const metrics = await metricsText(app);
  const samples = metrics.matchAll(/^pollcast_live_connections\{[^}]*\} (\d+)$/gm);
  return [...samples].reduce((sum, [, value]) => sum + Number(value), 0);
}
