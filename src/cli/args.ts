/** The command line of one subcommand: options that take a value (some repeatable) and positionals. */
export interface ParsedArgs {
  values: Map<string, string[]>;
  /** Options given that take no value, such as `--commands`. */
  flags: Set<string>;
  positionals: string[];
}

/** The command line cannot be used; the message names the option and what to pass. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export function parseArgs(
  argv: readonly string[],
  options: readonly string[],
  flagNames: readonly string[] = [],
): ParsedArgs {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
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
    if (flagNames.includes(name) && inline === undefined) {
      flags.add(name);
      continue;
    }
    if (!options.includes(name)) {
      const known = [...options, ...flagNames];
      throw new UsageError(
        known.length > 0
          ? `Unknown option ${name}; the options are ${known.join(", ")}.`
          : `Unknown option ${name}; this command takes no options.`,
      );
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith("--"))) {
      throw new UsageError(`${name} needs a value.`);
    }
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return { values, flags, positionals };
}

/** For commands that take options only: a stray word is more likely a typo than something to ignore. */
export function noPositionals(args: ParsedArgs): void {
  if (args.positionals.length > 0) {
    throw new UsageError(
      `Unexpected argument ${JSON.stringify(args.positionals[0])}; options start with --.`,
    );
  }
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
