import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('runs on embedded defaults: an SQLite file, local OCR, port 3000', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ dialect: 'sqlite', path: './data/pollcast.db' });
    expect(config.dataDir).toBe('./data');
    expect(config.port).toBe(3000);
    expect(config.ocr).toMatchObject({ provider: 'auto', timeoutMs: 30_000, maxImageBytes: 10_485_760 });
    expect(config.ocr.gemini.model).toBe('gemini-flash-latest');
    expect(config.registration).toBe('closed');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads PostgreSQL URLs and numbers', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db/pollcast', PORT: '8080', OCR_TIMEOUT_MS: '5000' });
    expect(config.database).toEqual({ dialect: 'postgres', url: 'postgres://u@db/pollcast' });
    expect(config.port).toBe(8080);
    expect(config.ocr.timeoutMs).toBe(5000);
  });

  it('reads MySQL and MariaDB URLs', () => {
    expect(loadConfig({ DATABASE_URL: 'mysql://u:p@db:3306/pollcast' }).database).toEqual({
      dialect: 'mysql',
      url: 'mysql://u:p@db:3306/pollcast',
    });
    expect(loadConfig({ DATABASE_URL: 'mariadb://u@db/pollcast' }).database).toEqual({
      dialect: 'mysql',
      url: 'mariadb://u@db/pollcast',
    });
    expect(() => loadConfig({ DATABASE_URL: 'mysql:pollcast' })).toThrow(ConfigError);
  });

  it('lists every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', OCR_PROVIDER: 'magic', DATABASE_URL: 'oracle://x', MAX_IMAGE_BYTES: '-1' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const names = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(names.sort()).toEqual(['DATABASE_URL', 'MAX_IMAGE_BYTES', 'OCR_PROVIDER', 'PORT']);
  });

  it('logs readable lines to a terminal and JSON elsewhere, unless LOG_FORMAT says which', () => {
    expect(loadConfig({}, { isTTY: true }).logFormat).toBe('pretty');
    expect(loadConfig({}, { isTTY: false }).logFormat).toBe('json');
    expect(loadConfig({}, {}).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'json' }, { isTTY: true }).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }, { isTTY: false }).logFormat).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow('LOG_FORMAT');
  });

  it('serves /metrics only with a token long enough not to be guessed', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: 'a-long-enough-metrics-token' }).metricsToken).toBe(
      'a-long-enough-metrics-token',
    );
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow('METRICS_TOKEN');
    expect(() => loadConfig({ METRICS_TOKEN: 'has spaces in the middle' })).toThrow('METRICS_TOKEN');
  });

  it('caps live connections per address and per instance; 0 turns a cap off', () => {
    expect(loadConfig({}).liveConnections).toEqual({ perAddress: 3000, perInstance: 10_000 });
    const off = loadConfig({ LIVE_CONNECTIONS_PER_ADDRESS: '0', LIVE_CONNECTIONS_PER_INSTANCE: '0' });
    expect(off.liveConnections).toEqual({ perAddress: 0, perInstance: 0 });
    expect(() => loadConfig({ LIVE_CONNECTIONS_PER_ADDRESS: '-1' })).toThrow('LIVE_CONNECTIONS_PER_ADDRESS');
  });

  it('times slow requests, never allowing headers longer than the whole request', () => {
    expect(loadConfig({}).timeouts).toEqual({ headersMs: 20_000, requestMs: 120_000 });
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '0' }).timeouts.requestMs).toBe(0);
    expect(() => loadConfig({ HEADERS_TIMEOUT_MS: '30000', REQUEST_TIMEOUT_MS: '10000' })).toThrow(
      'HEADERS_TIMEOUT_MS',
    );
  });

  it('limits join code misses per address; 0 turns the limit off', () => {
    expect(loadConfig({}).rateLimits.codeMissesPerAddress).toBe(100);
    expect(loadConfig({ RATE_LIMIT_CODE_MISSES_PER_ADDRESS: '0' }).rateLimits.codeMissesPerAddress).toBe(0);
  });

  it('requires a key when Gemini is asked for explicitly', () => {
    expect(() => loadConfig({ OCR_PROVIDER: 'gemini' })).toThrow('GEMINI_API_KEY');
  });

  it('runs one process unless WEB_CONCURRENCY asks for workers, by number or one per core', () => {
    expect(loadConfig({}).webConcurrency).toBe(1);
    expect(loadConfig({ WEB_CONCURRENCY: '4' }).webConcurrency).toBe(4);
    expect(loadConfig({ WEB_CONCURRENCY: 'auto' }).webConcurrency).toBe(availableParallelism());
    for (const bad of ['0', '-2', 'two', '1.5', '257', 'AUTO']) {
      expect(() => loadConfig({ WEB_CONCURRENCY: bad })).toThrow(
        `WEB_CONCURRENCY: the number of worker processes, 1 to 256, or auto for one per core (got "${bad}")`,
      );
    }
  });

  it('refuses several workers on an in-memory database, which each would have to itself', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).webConcurrency).toBe(1);
    expect(() => loadConfig({ DATABASE_URL: 'sqlite::memory:', WEB_CONCURRENCY: '2' })).toThrow('WEB_CONCURRENCY');
  });
});
