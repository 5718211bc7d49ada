import type { Config } from './config.js';
import type { BootInfo } from './first-records.js';

/** Where people reach this server, for the banner: PUBLIC_URL, or the address it listens on. */
export function baseUrlOf(config: Config, port: number): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return config.publicUrl ?? `http://${host}:${port}`;
}

/** What a person starting the server reads first: where everything is, and the first admin's password, once. */
export function banner(baseUrl: string, admin: BootInfo['admin']): string {
  const lines = [
    '',
    '  Pollcast is running.',
    '',
    `  Home:     ${baseUrl}/   (join by code, or make a quick poll)`,
    `  Vote:     ${baseUrl}/vote`,
    `  Results:  ${baseUrl}/results`,
    `  Admin:    ${baseUrl}/admin`,
    `  API:      ${baseUrl}/api/docs`,
  ];
  return `${[...lines, ...firstAdminLines(admin)].join('\n')}\n`;
}

/** The first admin's generated password, if this start made one: shown once, so never left out. */
export function firstAdminLines({ username, generatedPassword }: BootInfo['admin']): string[] {
  if (!generatedPassword) return [];
  return [
    '',
    `  First admin created: username "${username}", password "${generatedPassword}"`,
    '  This password is shown only once. Set ADMIN_PASSWORD to choose your own.',
  ];
}
