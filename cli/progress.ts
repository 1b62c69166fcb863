/** A one-line progress bar on a terminal; silent when output is not a TTY. */
export interface Progress {
  update(done: number): void;
  finish(): void;
}

export function createProgress(label: string, total: number | null, stream: NodeJS.WriteStream | null): Progress {
  if (!stream?.isTTY) return { update() {}, finish() {} };
  let last = 0;
  const width = 30;
  const draw = (done: number) => {
    const count = done.toLocaleString("en-US");
    if (total && total > 0) {
      const ratio = Math.min(1, done / total);
      const filled = Math.round(ratio * width);
      stream.write(`\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${count}`);
    } else {
      stream.write(`\r${label} ${count}`);
    }
  };
  return {
    update(done) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      draw(done);
    },
    finish() {
      stream.write("\r\x1b[K");
    },
  };
}
