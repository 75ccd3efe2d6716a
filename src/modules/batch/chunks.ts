/**
 * Chunking of batch imports: valid rows are written in chunks, each in its own transaction
 * (`gate.run(..., {idempotent: false})` inside `gate.exclusive`, see docs/batch.md), so a batch of
 * 50,000 rows never holds one long transaction and a crash leaves whole chunks.
 */
export function chunksOf<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Runs `write` on every chunk, up to `concurrency` at once (1 on PGlite, which has one
 * connection). On the first failure the other workers stop after their current chunk and the
 * error is thrown: the chunks that committed stay, the others were never started or rolled back.
 */
export async function runChunks<T>(chunks: readonly T[], concurrency: number, write: (chunk: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++];
      try {
        await write(chunk);
      } catch (err) {
        next = chunks.length;
        throw err;
      }
    }
  };
  const workers = Array.from({ length: Math.min(concurrency, chunks.length) }, worker);
  const settled = await Promise.allSettled(workers);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
}
