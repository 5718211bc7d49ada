// Whether the whole of an image file is there, where decoding alone cannot tell: the end of a
// PNG after its pixels, and HEIC, which nothing here can decode. An upload cut short fails these.

/**
 * Every chunk up to IEND is present. A PNG whose pixel data is whole decodes even without its
 * end, but it was still cut short, and the local engine refuses it.
 */
export function pngComplete(bytes: Buffer): boolean {
  for (let at = 8; at + 12 <= bytes.length; at += 12 + bytes.readUInt32BE(at)) {
    if (bytes.toString('latin1', at + 4, at + 8) === 'IEND') return true;
  }
  return false;
}

interface Box {
  type: string;
  /** Where the box's content starts (after its header) and where the box ends. */
  start: number;
  end: number;
}

/**
 * A HEIF file (HEIC) whose top-level boxes are all whole, with a `meta` box whose item locations
 * (`iloc`) lie inside the file. The pixels themselves (HEVC) are not decoded.
 */
export function heifComplete(bytes: Buffer): boolean {
  const meta = boxesIn(bytes, 0, bytes.length)?.find((box) => box.type === 'meta');
  // `meta` is a full box: a version byte and three bytes of flags come before its children.
  const iloc = meta && boxesIn(bytes, meta.start + 4, meta.end)?.find((box) => box.type === 'iloc');
  return iloc !== undefined && itemsInside(bytes, iloc);
}

/** The boxes from `from` to `to`, or undefined when one of them runs past `to`. */
function boxesIn(bytes: Buffer, from: number, to: number): Box[] | undefined {
  const boxes: Box[] = [];
  for (let at = from; at < to; ) {
    if (at + 8 > to) return undefined;
    let size = bytes.readUInt32BE(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > to) return undefined;
      size = Number(bytes.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) {
      size = to - at; // the last box may run to the end
    }
    if (size < header || at + size > to) return undefined;
    boxes.push({ type: bytes.toString('latin1', at + 4, at + 8), start: at + header, end: at + size });
    at += size;
  }
  return boxes;
}

/**
 * Every item stored at a file offset (construction method 0) has its bytes inside the file.
 * The `iloc` layout is ISO/IEC 14496-12's: field widths depend on the box version and on the
 * sizes it declares; the fields skipped here are the flags, item id and data reference index.
 */
function itemsInside(bytes: Buffer, iloc: Box): boolean {
  let at = iloc.start;
  const read = (size: number): number => {
    if (at + size > iloc.end) throw new RangeError('iloc ends early');
    const value = size === 0 ? 0 : size === 8 ? Number(bytes.readBigUInt64BE(at)) : bytes.readUIntBE(at, size);
    at += size;
    return value;
  };
  try {
    const version = read(1);
    read(3);
    const sizes = read(2);
    const [offsetSize, lengthSize, baseOffsetSize] = [sizes >> 12, (sizes >> 8) & 15, (sizes >> 4) & 15];
    const indexSize = version > 0 ? sizes & 15 : 0;
    const items = read(version < 2 ? 2 : 4);
    for (let item = 0; item < items; item++) {
      read(version < 2 ? 2 : 4);
      const method = version > 0 ? read(2) & 15 : 0;
      read(2);
      const base = read(baseOffsetSize);
      const extents = read(2);
      for (let extent = 0; extent < extents; extent++) {
        read(indexSize);
        const offset = read(offsetSize);
        const length = read(lengthSize);
        if (method === 0 && base + offset + length > bytes.length) return false;
      }
    }
    return true;
  } catch {
    return false;
  }
}
