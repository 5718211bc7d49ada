import type { FastifyReply } from 'fastify';
import type { CsvFile } from '../polls/csv.js';

/** A spreadsheet to download; results change, so it is never cached. */
export function sendCsv(reply: FastifyReply, file: CsvFile): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', file.disposition)
    .header('cache-control', 'no-store')
    .send(file.body);
}
