import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/cheap-password-hashes.ts'],
    // Dates must not depend on the machine being in UTC.
    env: { TZ: 'America/Sao_Paulo' },
    // Room for a browser journey or a server process started on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for a condition: on a busy machine it may take far longer than the
    // default second, and a condition that holds ends the wait at once.
    expect: { poll: { timeout: 20_000 } },
    // Two cores: two test files at a time.
    maxWorkers: 2,
  },
});
