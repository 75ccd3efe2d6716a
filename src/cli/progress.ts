// A progress line on stderr: redrawn in place on a terminal, one line per step otherwise.
export type Progress = { update(done: number): void; finish(): void };

export function progress(stream: NodeJS.WritableStream, total: number, enabled: boolean): Progress {
  if (!enabled || total === 0) return { update() {}, finish() {} };
  const tty = Boolean((stream as NodeJS.WriteStream).isTTY);
  let last = '';
  return {
    update(done) {
      const share = Math.min(1, done / total);
      const filled = Math.round(share * 30);
      last = `[${'#'.repeat(filled)}${'-'.repeat(30 - filled)}] ${done}/${total} rows (${Math.round(share * 100)}%)`;
      stream.write(tty ? `\r${last}` : `${last}\n`);
    },
    finish() {
      if (tty && last) stream.write('\n');
      last = '';
    },
  };
}
