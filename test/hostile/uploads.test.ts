import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reading, startGeminiStandIn } from '../gemini-stand-in.js';
import {
  ADMIN_PASSWORD,
  adminToken,
  buildTestApp,
  dialects,
  fixture,
  multipart,
  signInCookie,
  storedRows,
  type TestApp,
} from '../helpers.js';
import { unfinishedUpload } from './unfinished-upload.js';

const [sqlite] = dialects;
if (!sqlite) throw new Error('no dialect');

const MAX_IMAGE_BYTES = 200_000;
const UPLOAD = '/api/admin/polls/default/questions/from-images';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A small, valid PNG header announcing a huge picture: what a decompression bomb looks like to a decoder. */
function pngClaiming(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A JFIF JPEG whose frame header announces width × height. */
function jpegClaiming(width: number, height: number): Buffer {
  const jfif = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const frame = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0, 0, 0, 0, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  frame.writeUInt16BE(height, 5);
  frame.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), jfif, frame, Buffer.from([0xff, 0xd9])]);
}

describe('hostile uploads get a clear 4xx, reach no OCR, and store nothing', () => {
  let t: TestApp;
  let token: string;
  let standIn: Awaited<ReturnType<typeof startGeminiStandIn>>;
  let before: Record<string, string[]>;
  const question = fixture('capital-question.png');
  const options = fixture('capital-options.png');

  beforeAll(async () => {
    standIn = await startGeminiStandIn();
    t = await buildTestApp(sqlite, {
      OCR_PROVIDER: 'gemini',
      GEMINI_API_KEY: 'test-key',
      GEMINI_BASE_URL: standIn.baseUrl,
      MAX_IMAGE_BYTES: String(MAX_IMAGE_BYTES),
    });
    token = await adminToken(t.app);
  });
  afterAll(async () => {
    await t?.close();
    await standIn.close();
  });
  beforeEach(async () => {
    standIn.script(reading('Should never be read', ['A', 'B']));
    before = await storedRows(t.app);
  });

  const send = (payload: Buffer | string, contentType: string) =>
    t.app.inject({
      method: 'POST',
      url: UPLOAD,
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      payload,
    });
  const sendParts = (files: Record<string, Buffer>, fields: Record<string, string> = {}) => {
    const body = multipart(files, fields);
    return send(body.payload, body.headers['content-type']);
  };

  /** The refusal, and nothing behind it: no OCR call, no row changed. */
  async function expectRefused(response: Awaited<ReturnType<typeof send>>, status: number, code: string) {
    expect([response.statusCode, response.json().error?.code], response.body).toEqual([status, code]);
    expect(standIn.requests).toHaveLength(0);
    expect(await storedRows(t.app)).toEqual(before);
  }

  it.each([
    ['a 20000 × 20000 PNG header', () => pngClaiming(20_000, 20_000)],
    ['a 65000 × 65000 JPEG header', () => jpegClaiming(65_000, 65_000)],
  ])('refuses %s by its pixel count before anything decodes it', async (_name, image) => {
    const bomb = image();
    expect(bomb.length).toBeLessThan(200);
    const response = await sendParts({ question_image: bomb, options_image: options });
    await expectRefused(response, 413, 'image_too_large');
    expect(response.json().error.message).toContain('40 megapixels');
  });

  it.each([
    ['an SVG with a script', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ['an HTML page', Buffer.from('<!doctype html><script>alert(1)</script>')],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')],
    ['an empty file', Buffer.alloc(0)],
  ])('judges %s named question.png by its bytes', async (_name, bytes) => {
    const response = await sendParts({ question_image: bytes, options_image: options });
    await expectRefused(
      response,
      bytes.length === 0 ? 422 : 415,
      bytes.length === 0 ? 'validation_failed' : 'image_unsupported',
    );
  });

  it('refuses too many parts, too many files and an overlong field', async () => {
    const fields = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field${i}`, 'x']));
    await expectRefused(
      await sendParts({ question_image: question, options_image: options }, fields),
      413,
      'payload_too_large',
    );
    await expectRefused(
      await sendParts({ question_image: question, options_image: options, third_image: options }),
      413,
      'payload_too_large',
    );
    const long = await sendParts({ question_image: question, options_image: options }, { activate: 'x'.repeat(5000) });
    await expectRefused(long, 413, 'payload_too_large');
    expect(long.json().error.message).toBe('The form field "activate" is too long.');
  });

  it('refuses a form field it does not know instead of ignoring it', async () => {
    const response = await sendParts({ question_image: question, options_image: options }, { qa: 'true' });
    await expectRefused(response, 422, 'validation_failed');
    expect(response.json().error.message).toContain('"qa"');
  });

  it('answers a body that is not well-formed multipart at once', async () => {
    const good = multipart({ question_image: question, options_image: options });
    await expectRefused(await send(good.payload, 'multipart/form-data'), 400, 'bad_request');
    await expectRefused(await send(good.payload.subarray(0, -40), good.headers['content-type']), 400, 'bad_request');
    await expectRefused(await send('not multipart at all', good.headers['content-type']), 400, 'bad_request');
    await expectRefused(await send(good.payload, 'image/png'), 415, 'unsupported_media_type');
  });

  it('shows the organizer the same refusal on the poll page, with the form', async () => {
    const cookie = await signInCookie(t.app, 'admin', ADMIN_PASSWORD);
    const page = await t.app.inject({ url: '/admin', headers: { cookie } });
    before = await storedRows(t.app);
    const action = /id="upload-form"[^>]* action="([^"]+)"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const response = await t.app.inject({
      method: 'POST',
      url: action,
      headers: { cookie, 'content-type': 'multipart/form-data' },
      payload: multipart({ question_image: question, options_image: options }).payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('The upload is not well-formed multipart/form-data.');
    expect(response.body).toContain('id="upload-form"');
    expect(standIn.requests).toHaveLength(0);
    expect(await storedRows(t.app)).toEqual(before);
  });

  it('stops an oversized file while it is still streaming', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    // Past the limit, then nothing more and no end: only a server that stops reading answers now.
    const answer = await unfinishedUpload(port, UPLOAD, { authorization: `Bearer ${token}` }, 'question_image', [
      question,
      Buffer.alloc(MAX_IMAGE_BYTES, 0x41),
    ]);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe('image_too_large');
    expect(standIn.requests).toHaveLength(0);
    expect(await storedRows(t.app)).toEqual(before);
  });
});
