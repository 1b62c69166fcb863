/** A tiny argv parser: `--flag value`, `--flag=value`, repeatable flags, booleans, `--` ends the options. */

export interface ArgSpec {
  /** Options that take a value; repeatable ones collect every occurrence. */
  readonly values?: readonly string[];
  readonly repeatable?: readonly string[];
  readonly booleans?: readonly string[];
}

export interface ParsedArgs {
  readonly values: ReadonlyMap<string, string[]>;
  readonly flags: ReadonlySet<string>;
  readonly positionals: readonly string[];
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const takesValue = new Set([...(spec.values ?? []), ...(spec.repeatable ?? [])]);
  const booleans = new Set([...(spec.booleans ?? []), "help"]);
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-h") {
      flags.add("help");
      continue;
    }
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (booleans.has(name) && eq < 0) {
      flags.add(name);
    } else if (takesValue.has(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      if (values.has(name) && !spec.repeatable?.includes(name)) throw new UsageError(`--${name} given twice`);
      values.set(name, [...(values.get(name) ?? []), value]);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { values, flags, positionals };
}

/** The single value of an option, or undefined. */
export function valueOf(args: ParsedArgs, name: string): string | undefined {
  return args.values.get(name)?.[0];
}
