/** What a CLI command may touch, injected so commands run in tests without spawning. */
export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  now(): Date;
}

export type CliEnv = Readonly<Record<string, string | undefined>>;

export const processIo: CliIo = {
  stdout: (line) => void process.stdout.write(line + "\n"),
  stderr: (line) => void process.stderr.write(line + "\n"),
  now: () => new Date(),
};

/** One line, whatever the message holds. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Writes one line and returns the exit status, for early exits. */
export function exitWith(write: (line: string) => void, line: string, code: number): number {
  write(line);
  return code;
}
