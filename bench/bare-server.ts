/**
 * The baseline of the agencies benchmark: a bare fastify + pg server with one route that runs the
 * same one query as GET /v1/agencies/{id} and answers its JSON. No auth, no hooks, no validation.
 * Started by bench/agencies.ts in its own process (`node --import tsx bench/bare-server.ts`);
 * prints `listening <port>` when ready.
 */
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_MAX ?? 10) });
const app = Fastify({ logger: false });
app.get<{ Params: { id: string } }>('/agencies/:id', async (req, reply) => {
  const { rows: [r] } = await pool.query('SELECT id, code, name, kind, parent_id, path, created_at, updated_at FROM agencies WHERE id = $1', [req.params.id]);
  if (!r) return reply.code(404).send({ status: 404 });
  return { id: r.id, code: r.code, name: r.name, kind: r.kind, parentId: r.parent_id, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString() };
});
await app.listen({ host: '127.0.0.1', port: 0 });
const addr = app.server.address();
console.log(`listening ${typeof addr === 'object' && addr ? addr.port : ''}`);
const stop = () => { void app.close().then(() => pool.end()).then(() => process.exit(0)); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
