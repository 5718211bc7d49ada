import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer of the stand-in: a status and a JSON body, or silence. */
export type Reply = { status: number; body: unknown; delayMs?: number } | { hang: true };

export interface RecordedRequest {
  path: string;
  apiKey: string | undefined;
  body: {
    contents: { parts: ({ text: string } | { inlineData: { mimeType: string; data: string } })[] }[];
    generationConfig?: { responseMimeType?: string; responseSchema?: unknown; temperature?: number };
  };
}

/**
 * A local HTTP stand-in for Google's `models/{model}:generateContent` endpoint. Each request
 * takes the next scripted reply; the last one repeats.
 */
export async function startGeminiStandIn() {
  const replies: Reply[] = [];
  const requests: RecordedRequest[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/v1beta\/models\/([^/:]+):generateContent/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":404,"status":"NOT_FOUND"}}');
      return;
    }
    requests.push({
      path: req.url ?? '',
      apiKey: req.headers['x-goog-api-key'] as string | undefined,
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
    });
    const reply = (replies.length > 1 ? replies.shift() : replies[0]) ?? { status: 500, body: {} };
    if ('hang' in reply) return;
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    /** Scripts the next replies (replacing any left over). */
    script(...next: Reply[]) {
      replies.splice(0, replies.length, ...next);
      requests.splice(0, requests.length);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A successful generateContent answer whose text part is `text`. */
export function answer(text: string, finishReason = 'STOP', extra: Record<string, unknown> = {}): Reply {
  return {
    status: 200,
    body: {
      candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason, index: 0 }],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 10, totalTokenCount: 20 },
      modelVersion: 'gemini-test',
      ...extra,
    },
  };
}

export const reading = (question: string, options: string[]) => answer(JSON.stringify({ question, options }));

export function googleError(code: number, status: string, message: string, details: unknown[] = []): Reply {
  return { status: code, body: { error: { code, message, status, details } } };
}

/** What Google answers for an image it cannot decode (a damaged or truncated file). */
export const unreadableImage = (): Reply =>
  googleError(
    400,
    'INVALID_ARGUMENT',
    'Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  );
