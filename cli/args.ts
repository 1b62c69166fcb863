/**
 * Command-line options through node:util `parseArgs`, with the CLI's rules on
 * top: every option is declared, a string option needs a value, only
 * `multiple` options repeat, and `--help` (`-h`) is understood everywhere.
 * Breaking a rule is a UsageError: one line on stderr, exit status 2.
 */
import { parseArgs } from "node:util";

export class UsageError extends Error {}

export interface OptionSpec {
  readonly type: "string" | "boolean";
  /** Repeatable: every occurrence is collected, in order. */
  readonly multiple?: boolean;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

type OptionValue<S extends OptionSpec> = S["type"] extends "boolean" ? boolean : S["multiple"] extends true ? string[] : string;

export interface ParsedArgs<O extends OptionSpecs> {
  readonly values: { readonly [K in keyof O]?: OptionValue<O[K]> };
  readonly positionals: readonly string[];
  readonly help: boolean;
}

const HELP_OPTION = { type: "boolean", short: "h", multiple: true } as const;

export function parseCommandArgs<O extends OptionSpecs>(argv: readonly string[], options: O): ParsedArgs<O> {
  const spec: OptionSpecs = { ...options, help: HELP_OPTION };
  // Not strict: strict parsing refuses option values that start with a dash
  // (`--max-age -5`, a secret key like `-x3…`) and words its errors over
  // several lines. The tokens are checked here instead, with one-line messages.
  const { values, positionals, tokens } = parseArgs({ args: argv, options: spec, allowPositionals: true, strict: false, tokens: true });
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const option = Object.hasOwn(spec, token.name) ? spec[token.name] : undefined;
    if (!option) throw new UsageError(`unknown option ${token.rawName}`);
    if (option.type === "string" && token.value === undefined) throw new UsageError(`${token.rawName} needs a value`);
    if (option.type === "boolean" && token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
    if (!option.multiple && seen.has(token.name)) throw new UsageError(`${token.rawName} given twice`);
    seen.add(token.name);
  }
  const { help, ...rest } = values;
  return { values: rest as ParsedArgs<O>["values"], positionals, help: help !== undefined };
}

/** A whole-number option from `min` to `max`: `fallback` when absent, required when there is none. */
export function wholeNumber(text: string | undefined, name: string, range: { min: number; max: number; fallback?: number }): number {
  if (text === undefined && range.fallback === undefined) throw new UsageError(`--${name} is required`);
  const value = text === undefined ? range.fallback! : text.trim() === "" ? NaN : Number(text);
  if (!Number.isInteger(value) || value < range.min || value > range.max) throw new UsageError(`--${name} must be a whole number from ${range.min} to ${range.max}`);
  return value;
}
