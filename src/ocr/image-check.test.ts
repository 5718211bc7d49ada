import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/helpers.js';
import { checkImage } from './image-check.js';
import type { ImageMimeType } from './provider.js';

const ALL = new Set<ImageMimeType>(['image/png', 'image/jpeg', 'image/webp', 'image/heic']);

const check = (bytes: Buffer, field = 'question image') => checkImage(bytes, field, ALL);

const refusal = async (bytes: Buffer, field?: string) => {
  try {
    await check(bytes, field);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected the image to be refused');
};

/** Offsets of the top-level boxes of an ISO BMFF file, and where it ends. */
function boxEdges(bytes: Buffer): number[] {
  const edges: number[] = [];
  for (let at = 0; at < bytes.length; at += bytes.readUInt32BE(at)) edges.push(at);
  return [...edges, bytes.length];
}

describe('checking that an upload is whole before any OCR', () => {
  it.each(['blank.png', 'capital-question.png', 'capital-options.webp', 'season-question-photo.jpg'])(
    'lets %s through',
    async (name) => {
      expect((await check(fixture(name))).bytes).toEqual(fixture(name));
    },
  );

  it.each([
    ['a PNG', 'capital-question.png'],
    ['a JPEG', 'season-options-photo.jpg'],
    ['a WebP', 'capital-options.webp'],
  ])('refuses %s cut short, naming the image and asking for it again', async (_kind, name) => {
    const whole = fixture(name);
    const error = await refusal(whole.subarray(0, Math.floor(whole.length * 0.6)), 'options image');
    expect(error.code).toBe('image_unreadable');
    expect(error.message).toBe(
      'The options image is damaged or incomplete (was its upload cut short?); upload it again.',
    );
  });

  it('reads a header cut short as cut short, not from the memory after it', async () => {
    // Small uploads share one block of memory with other buffers; here the bytes after the cut
    // say 100000 × 100000.
    const shared = Buffer.alloc(64);
    fixture('capital-question.png').copy(shared, 0, 0, 16);
    shared.writeUInt32BE(100_000, 16);
    shared.writeUInt32BE(100_000, 20);
    const error = await refusal(shared.subarray(0, 16));
    expect(error.code).toBe('image_unsupported');
    expect(error.message).not.toContain('100000');
  });

  it('refuses a PNG whose pixels are whole but whose end is missing', async () => {
    const whole = fixture('capital-question.png');
    expect((await refusal(whole.subarray(0, whole.length - 12))).code).toBe('image_unreadable');
    expect((await refusal(whole.subarray(0, whole.length - 1))).code).toBe('image_unreadable');
  });

  it('refuses a PNG with a damaged byte in its pixel data', async () => {
    const damaged = Buffer.from(fixture('capital-question.png'));
    damaged[2000] = (damaged[2000] ?? 0) ^ 0x10;
    expect((await refusal(damaged)).code).toBe('image_unreadable');
  });

  it('checks the boxes of a HEIC file: whole, it passes; cut anywhere after its header, it is refused', async () => {
    const heic = fixture('capital-question.heic');
    expect((await check(heic)).mimeType).toBe('image/heic');
    const [, meta, mdat, end] = boxEdges(heic);
    if (meta === undefined || mdat === undefined || end === undefined) throw new Error('unexpected box layout');
    // At the end of `meta` every box is whole but the picture's bytes are missing.
    for (const cut of [mdat, mdat + 8, Math.floor((mdat + end) / 2), end - 1]) {
      expect((await refusal(heic.subarray(0, cut))).code, `cut at ${cut}`).toBe('image_unreadable');
    }
    // Cut inside `meta`, the dimensions cannot be read at all.
    expect((await refusal(heic.subarray(0, meta + 20))).code).toBe('image_unsupported');
  });
});
