// Any origin does: `next` is resolved against it only to see whether it leaves it.
const SITE_ORIGIN = 'http://pollcast.invalid';
const MAX_NEXT_LENGTH = 1000;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const UNREAD_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

/**
 * Where a form sends its visitor next (`next`): a path of this site, else the fallback, so that
 * no form is an open redirect. A browser strips tabs and newlines from an address and reads a
 * backslash as a slash (`/\t/evil.example` and `/\\evil.example` are `//evil.example` to it), so
 * those are refused outright; and `next` is kept only when the URL parser browsers use resolves
 * it on this site's origin to exactly itself, so the browser goes where was checked.
 */
export function localPath(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || next.length > MAX_NEXT_LENGTH || !next.startsWith('/')) return fallback;
  if (UNREAD_CHARACTERS.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, SITE_ORIGIN);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin === SITE_ORIGIN && path === next ? next : fallback;
}
