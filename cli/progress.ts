/** A one-line progress bar (cli-progress) on a terminal; nothing at all in a pipe or a file. */
import { SingleBar, type ValueType } from "cli-progress";

export type ReportProgress = (done: number) => void;

/**
 * Runs `task` with a progress bar on `stream` while it works, when `stream` is
 * a terminal. A null `total` shows a running count without a bar. The bar is
 * stopped and its line cleared however the task ends (its redraw timer would
 * otherwise keep the process alive), so the command's final line stands alone.
 */
export async function withProgress<T>(label: string, total: number | null, stream: NodeJS.WriteStream | null, task: (report: ReportProgress) => Promise<T>): Promise<T> {
  if (!stream?.isTTY) return task(() => {});
  const bar = new SingleBar({
    stream,
    format: total === null ? `${label} {value}` : `${label} [{bar}] {percentage}% {value}`,
    formatValue,
    barsize: 30,
    barCompleteChar: "#",
    barIncompleteChar: ".",
    fps: 10,
    clearOnComplete: true,
    // Leaves the terminal's line wrapping alone, so a run stopped by Ctrl-C cannot leave it switched off.
    linewrap: true,
  });
  bar.start(total ?? 0, 0);
  try {
    return await task((done) => bar.update(done));
  } finally {
    bar.stop();
  }
}

function formatValue(value: number, _options: unknown, type: ValueType): string {
  if (type === "value" || type === "total") return value.toLocaleString("en-US");
  if (type === "percentage") return String(value).padStart(3);
  return String(value);
}
