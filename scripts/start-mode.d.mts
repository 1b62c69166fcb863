export interface StartMode {
  /** NODE_ENV for the server: "development" under --dev, else the caller's or "production". */
  readonly nodeEnv: string;
  readonly demo: boolean;
  /** SESSIONSCOPE_DEMO as the server receives it: "1", "0", or an unknown value left for the configuration check. */
  readonly demoVariable: string;
  /** One line saying which mode runs and why, or null when the configuration check will refuse the value. */
  readonly notice: string | null;
}

export function startMode(environment: Record<string, string | undefined>, options?: { dev?: boolean }): StartMode;

/** npm start's exit code for how next ended: its code, or 128 + the signal's number. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number;
