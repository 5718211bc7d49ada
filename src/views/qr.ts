import QRCode from 'qrcode';

/** A QR code as SVG, drawn here: no network, no image service. */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
