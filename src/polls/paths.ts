import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
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
    remote: `${base}/remote`,
    manage: `${base}/manage`,
    nickname: `${base}/nickname`,
    qa: `${base}/qa`,
    qaSettings: `${base}/qa-settings`,
    qaCsv: `${base}/qa.csv`,
    moderate: `${base}/moderate`,
    qr: `${base}/qr.svg`,
    admin: isDefault ? '/admin' : `/admin/polls/${code}`,
    adminActions: `/admin/polls/${code}`,
  };
}

/** A quick poll's private manage link: the one address that carries its token. */
export function manageLinkPath(code: string, token: string): string {
  return `${pollPaths(code).manage}?token=${encodeURIComponent(token)}`;
}

// A host a link may name: a DNS name or an IPv4 address, or an IPv6 address in brackets, and a port.
const LINK_HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The site's address as voters reach it: PUBLIC_URL when set, else the scheme and host this
 * request came to (from a trusted proxy's X-Forwarded-Proto and -Host, with TRUST_PROXY). A
 * request that names no usable host gets no link at all: a host with a path or user info in it
 * would send voters elsewhere.
 */
export function siteUrl(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl;
  const { protocol, host } = request;
  if ((protocol !== 'http' && protocol !== 'https') || !LINK_HOST.test(host)) {
    throw new AppError('bad_request', 'organizer.errors.noUsableHost');
  }
  return `${protocol}://${host}`;
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
