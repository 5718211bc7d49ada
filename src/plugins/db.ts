import fp from 'fastify-plugin';
import type { Db } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

/** Holds the database: brings its schema up to date at start, closes its connections on close. */
export default fp<{ db: Db }>(
  async (app, { db }) => {
    await migrateToLatest(db);
    app.decorate('db', db);
    app.addHook('onClose', () => db.destroy());
  },
  { name: 'db' },
);
