/** The image types Pollcast accepts, named by their MIME type. */
export type ImageMimeType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/heic';

export interface ImageInput {
  bytes: Buffer;
  mimeType: ImageMimeType;
}

/** What an OCR engine read: the question as one string and the options in order, already cleaned. */
export interface OcrReading {
  question: string;
  options: string[];
}

/**
 * One OCR engine, in Pollcast's terms. Failures are thrown as AppError with one of the
 * `ocr_*` codes, so callers never see an SDK's own errors.
 */
export interface OcrProvider {
  readonly name: 'gemini' | 'tesseract';
  readonly model: string;
  readonly acceptedTypes: ReadonlySet<ImageMimeType>;
  /** `language`: the language the images are written in, as a Tesseract code ("fra"); the default is the engine's. */
  read(question: ImageInput, options: ImageInput, language?: string): Promise<OcrReading>;
  close(): Promise<void>;
}
