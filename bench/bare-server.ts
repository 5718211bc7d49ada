import Fastify from 'fastify';

// The HTTP ceiling Pollcast is compared with: Fastify answering the voter's two requests — the
// voting page, which hands out the voter cookie, and the vote, a JSON body answered 201 — and
// nothing else.
const app = Fastify({ logger: false });
// About the size of Pollcast's voting page, so that both servers write the same bytes.
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Vote</title></head><body>${'<p>Option</p>'.repeat(230)}</body></html>`;
let voters = 0;
app.get('/vote', async (_request, reply) =>
  reply
    .header('set-cookie', `pc_voter=bare-voter-${++voters}; Path=/; HttpOnly; SameSite=Lax`)
    .type('text/html; charset=utf-8')
    .send(PAGE),
);
// Counted like Pollcast's answer, so that the steady-rate load generator reads it the same way.
let votes = 0;
app.post('/api/polls/:code/votes', async (request, reply) =>
  reply.status(201).send({ question: { totalVotes: ++votes }, body: request.body }),
);
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
