/** The command line of one subcommand: options that take a value (some repeatable) and positionals. */
export interface ParsedArgs {
  values: Map<string, string[]>;
  positionals: string[];
}

/** The command line cannot be used; the message names the option and what to pass. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export function parseArgs(argv: readonly string[], options: readonly string[]): ParsedArgs {
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "-" || !arg.startsWith("-")) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    if (!options.includes(name)) {
      throw new UsageError(`Unknown option ${name}; the options are ${options.join(", ")}.`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value.`);
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return { values, positionals };
}

/** The last value of an option (a later one overrides an earlier one), optionally one of `allowed`. */
export function single<T extends string>(
  args: ParsedArgs,
  name: string,
  allowed?: readonly T[],
): T | undefined {
  const value = args.values.get(name)?.at(-1);
  if (value !== undefined && allowed && !allowed.includes(value as T)) {
    throw new UsageError(`${name} ${JSON.stringify(value)} is not one of ${allowed.join(", ")}.`);
  }
  return value as T | undefined;
}
