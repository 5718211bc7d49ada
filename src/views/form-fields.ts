/** A page form's parsed body: each field a string, an array of strings when repeated, or absent. */
export type FormBody = Record<string, unknown> | undefined;

/** One text field, cut to a bound before anything else reads it; absent or repeated gives ''. */
export function formText(body: FormBody, name: string, max: number): string {
  const value = body?.[name];
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/** The option texts of a posted form: `options` repeated, blank rows dropped. */
export function postedOptions(body: FormBody, max: number): string[] {
  const value = body?.options;
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === 'string' && item.trim() !== '').slice(0, max);
}
