import { request as httpRequest } from 'node:http';

/**
 * Starts a multipart upload of one file field, sends `chunks`, then nothing more and no end:
 * only a server that stops reading the file answers. Resolves with that answer.
 */
export function unfinishedUpload(
  port: number,
  path: string,
  headers: Record<string, string>,
  field: string,
  chunks: Buffer[],
): Promise<{ status: number; body: string }> {
  const boundary = 'pollcast-stream-boundary';
  return new Promise((resolve, reject) => {
    const upload = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path,
      headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    upload.on('response', (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => {
        upload.destroy();
        resolve({ status: response.statusCode ?? 0, body });
      });
    });
    upload.on('error', reject);
    upload.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${field}.png"\r\nContent-Type: image/png\r\n\r\n`,
    );
    for (const chunk of chunks) upload.write(chunk);
  });
}
