import Fastify from 'fastify';

// The HTTP ceiling the vote path is compared with: Fastify parsing a JSON body and answering
// 201 with a small JSON body, nothing else.
const app = Fastify({ logger: false });
app.post('/api/polls/:code/votes', async (request, reply) => reply.status(201).send({ ok: true, body: request.body }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
