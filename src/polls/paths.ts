import type { FastifyRequest } from 'fastify';
import { DEFAULT_POLL_CODE } from './codes.js';

/** Where each page of a poll lives; the default poll keeps its short paths. */
export function pollPaths(code: string) {
  const base = `/p/${code}`;
  const isDefault = code === DEFAULT_POLL_CODE;
  return {
    vote: isDefault ? '/vote' : base,
    results: isDefault ? '/results' : `${base}/results`,
    share: `${base}/share`,
    present: `${base}/present`,
    manage: `${base}/manage`,
    qr: `${base}/qr.svg`,
    admin: isDefault ? '/admin' : `/admin/polls/${code}`,
    adminActions: `/admin/polls/${code}`,
  };
}

/** A quick poll's private manage link: the one address that carries its token. */
export function manageLinkPath(code: string, token: string): string {
  return `${pollPaths(code).manage}?token=${encodeURIComponent(token)}`;
}

/** The site's address as voters reach it: PUBLIC_URL when set, else what this request used. */
export function siteUrl(request: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl ?? `${request.protocol}://${request.host}`;
}

/** Absolute links to hand out (share links, QR codes, API answers). */
export function pollUrls(site: string, code: string) {
  const paths = pollPaths(code);
  return {
    vote: `${site}${paths.vote}`,
    results: `${site}${paths.results}`,
    share: `${site}${paths.share}`,
    present: `${site}${paths.present}`,
  };
}
