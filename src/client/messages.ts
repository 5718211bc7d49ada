import type { MessageKey } from '../i18n/catalogs.js';
import type { MessageValues } from '../i18n/translate.js';

// The browser's side of the catalogs: the page's language (<html lang>) names a module the build
// compiled from that language's catalog, holding only the messages the page scripts use
// (scripts/build-client.js). Code shared with the server imports `t` from
// i18n/request-language.ts, which the page build points here.

type Compiled = Readonly<Record<string, (values: MessageValues) => string>>;

let compiled: Compiled | undefined;
let loading: Promise<void> | undefined;

/**
 * Fetches the page language's messages, once; `t` can be used when it resolves. It always
 * resolves, so that no action waits on it forever: offline, the next call tries again, and
 * until then `t` gives keys.
 */
export function messagesLoaded(): Promise<void> {
  loading ??= import(new URL(`messages/${pageLocale()}.js`, import.meta.url).href).then(
    (module: { default: Compiled }) => {
      compiled = module.default;
    },
    () => {
      loading = undefined;
    },
  );
  return loading;
}

/** A message in the page's language; before `messagesLoaded` has resolved, its key. */
export function t(key: MessageKey, values: MessageValues = {}): string {
  return compiled?.[key]?.(values) ?? key;
}

/** The page's language, for `Intl` formatting in the browser. */
export const pageLocale = (): string => document.documentElement.lang || 'en';

/** Asks the API for its messages in the page's language, which may be a poll's audience language. */
export const inPageLanguage = (): Record<string, string> => ({ 'accept-language': pageLocale() });
