import sharp from 'sharp';

// Photos as people take them, made from text with sharp (libvips renders the text with Pango), so
// that every difficulty is reproducible here and in `npm run bench:ocr`: a turned sheet, a
// shadow, light text on a dark slide, a slide with a logo, bullets, accents, a screen's moiré.

export interface PhotoCase {
  /** What makes it hard, as the benchmark's table says it. */
  difficulty: string;
  question: string;
  options: string[];
  /** The local engine's language for it (Tesseract's code). */
  language: string;
  /** The two images: the question's, then the options'. */
  images(): Promise<[Buffer, Buffer]>;
}

interface Page {
  lines: string[];
  ink?: string;
  paper?: string;
  size?: number;
}

const markupOf = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Lines of text on a page with margins, as a screenshot would have them. */
async function page({ lines, ink = '#111111', paper = '#ffffff', size = 34 }: Page): Promise<Buffer> {
  const text = await sharp({
    text: {
      text: `<span foreground="${ink}">${lines.map(markupOf).join('\n')}</span>`,
      font: `DejaVu Sans ${size}`,
      rgba: true,
      dpi: 72,
      spacing: Math.round(size * 0.5),
    },
  })
    .png()
    .toBuffer();
  const margin = Math.round(size * 1.5);
  return sharp(text)
    .extend({ top: margin, bottom: margin, left: margin, right: margin * 2, background: paper })
    .flatten({ background: paper })
    .png()
    .toBuffer();
}

const turned = (degrees: number) => (image: Buffer) =>
  sharp(image).rotate(degrees, { background: '#ffffff' }).png().toBuffer();

/** A shadow falling across the page from one side, as from a hand or a lamp. */
async function shadowed(image: Buffer): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(image).metadata();
  const shade = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" x2="1" y1="0" y2="0.3"><stop offset="0" stop-color="#000" stop-opacity="0.05"/><stop offset="1" stop-color="#000" stop-opacity="0.72"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`,
  );
  return sharp(image)
    .composite([{ input: shade, blend: 'over' }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** A photographed screen: its pixels' stripes, a little blur, and JPEG. */
async function screenPhoto(image: Buffer): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(image).metadata();
  const stripes = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><pattern id="p" width="3" height="3" patternUnits="userSpaceOnUse"><rect width="1" height="3" fill="#ff0000" fill-opacity="0.28"/><rect x="1" width="1" height="3" fill="#00ff00" fill-opacity="0.28"/><rect x="2" width="1" height="3" fill="#0000ff" fill-opacity="0.28"/><rect y="2" width="3" height="1" fill="#000" fill-opacity="0.25"/></pattern></defs><rect width="100%" height="100%" fill="url(#p)"/></svg>`,
  );
  return sharp(image)
    .composite([{ input: stripes, blend: 'multiply' }])
    .blur(0.6)
    .jpeg({ quality: 70 })
    .toBuffer();
}

/** A small logo in the corner of a slide. */
async function withLogo(image: Buffer): Promise<Buffer> {
  const logo = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="70" height="70"><circle cx="35" cy="35" r="30" fill="#e8590c"/><circle cx="35" cy="35" r="14" fill="#fff4e6"/></svg>',
  );
  return sharp(image)
    .composite([{ input: logo, gravity: 'southeast' }])
    .png()
    .toBuffer();
}

/** A slide's page number in its bottom corner. */
async function numbered(image: Buffer): Promise<Buffer> {
  const number = await sharp({
    text: { text: '<span foreground="#444444">7 / 12</span>', font: 'DejaVu Sans 22', rgba: true, dpi: 72 },
  })
    .png()
    .toBuffer();
  const { width = 0, height = 0 } = await sharp(image).metadata();
  const framed = await sharp(image).extend({ bottom: 60, background: '#ffffff' }).png().toBuffer();
  return sharp(framed)
    .composite([{ input: number, left: Math.max(0, width - 110), top: height + 20 }])
    .png()
    .toBuffer();
}

const season = { question: 'Which season do you like the most?', options: ['Spring', 'Summer', 'Autumn', 'Winter'] };
const lettered = (options: string[]) => options.map((option, i) => `${'ABCD'[i]}. ${option}`);

/** Both images of a case, the same treatment on each. */
const both =
  (question: Page, options: Page, treat: (image: Buffer) => Promise<Buffer> = async (image) => image) =>
  async (): Promise<[Buffer, Buffer]> => [await treat(await page(question)), await treat(await page(options))];

export const PHOTO_CASES: readonly PhotoCase[] = [
  {
    difficulty: 'straight screenshot',
    ...season,
    language: 'eng',
    images: both({ lines: [season.question] }, { lines: lettered(season.options) }),
  },
  {
    difficulty: 'sheet turned 7°',
    ...season,
    language: 'eng',
    images: both({ lines: [season.question] }, { lines: lettered(season.options) }, turned(7)),
  },
  {
    difficulty: 'sheet turned 12°',
    ...season,
    language: 'eng',
    images: both({ lines: [season.question] }, { lines: lettered(season.options) }, turned(-12)),
  },
  {
    difficulty: 'gradient shadow across the page',
    question: 'Where should we hold the next meetup?',
    options: ['By the river', 'On the fourth floor', 'In the garden'],
    language: 'eng',
    images: both(
      { lines: ['Where should we hold the next meetup?'] },
      { lines: ['1) By the river', '2) On the fourth floor', '3) In the garden'] },
      shadowed,
    ),
  },
  {
    difficulty: 'white text on a dark slide',
    question: 'How did you travel here today?',
    options: ['Train', 'Bicycle', 'Car', 'On foot'],
    language: 'eng',
    images: both(
      { lines: ['How did you travel here today?'], ink: '#ffffff', paper: '#1b2440' },
      { lines: ['A. Train', 'B. Bicycle', 'C. Car', 'D. On foot'], ink: '#ffffff', paper: '#1b2440' },
    ),
  },
  {
    difficulty: 'coloured slide with a logo',
    question: 'Which topic should come first?',
    options: ['Security', 'Performance', 'Accessibility'],
    language: 'eng',
    images: both(
      { lines: ['Which topic should come first?'], ink: '#102a43', paper: '#d0ebff' },
      { lines: ['1. Security', '2. Performance', '3. Accessibility'], ink: '#102a43', paper: '#d0ebff' },
      withLogo,
    ),
  },
  {
    difficulty: 'slide with a page number',
    question: 'Which day suits the workshop?',
    options: ['Tuesday', 'Wednesday', 'Thursday'],
    language: 'eng',
    images: async () => [
      await page({ lines: ['Which day suits the workshop?'] }),
      await numbered(await page({ lines: ['A. Tuesday', 'B. Wednesday', 'C. Thursday'] })),
    ],
  },
  {
    difficulty: 'bullets •',
    question: 'What should we order for lunch?',
    options: ['Sandwiches', 'Noodles', 'Salad bowls'],
    language: 'eng',
    images: both(
      { lines: ['What should we order for lunch?'] },
      { lines: ['• Sandwiches', '• Noodles', '• Salad bowls'] },
      shadowed,
    ),
  },
  {
    difficulty: 'accents (French)',
    question: 'Quel dessert préférez-vous ?',
    options: ['Crème brûlée', 'Tarte aux pêches', 'Île flottante'],
    language: 'fra',
    images: both(
      { lines: ['Quel dessert préférez-vous ?'] },
      { lines: ['A. Crème brûlée', 'B. Tarte aux pêches', 'C. Île flottante'] },
      shadowed,
    ),
  },
  {
    difficulty: 'photo of an LCD (moiré)',
    question: 'Which release should we ship first?',
    options: ['Version two', 'The mobile app', 'Dark mode'],
    language: 'eng',
    images: both(
      { lines: ['Which release should we ship first?'] },
      { lines: ['A. Version two', 'B. The mobile app', 'C. Dark mode'] },
      screenPhoto,
    ),
  },
];
