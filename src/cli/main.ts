import { join, relative } from "node:path";
import { PROVIDER_SOURCE, PROVIDER_VERSION } from "../provider/startup/provider-names";
import { PACKAGE_VERSION } from "../version";
import { noPositionals, type ParsedArgs, parseArgs, single, UsageError } from "./args";

/** Each command: its synopsis and what it does, for the overview and for `COMMAND --help`. */
const COMMANDS: readonly { name: string; synopsis: string; summary: string; details?: string }[] = [
  {
    name: "install",
    synopsis: "install [--dir DIR] [--lock-file FILE]",
    summary:
      "Lay the Terraform provider out in a plugin mirror (default ./terraform.d/plugins, which Terraform searches by itself), record it in the lock file (default ./.terraform.lock.hcl, merged with the other providers there), and print how to use it.",
    details:
      "Options:\n  --dir DIR         Where to lay out the plugin mirror.\n  --lock-file FILE  The lock file to record the provider's hashes (every platform) in.",
  },
  {
    name: "lock",
    synopsis: "lock [--lock-file FILE] [--release DIR]",
    summary:
      "Only record the provider in the lock file (default ./.terraform.lock.hcl), with the hashes of every platform: of this package (a mirror laid out elsewhere), or with --release of the archives `release --out DIR` wrote (a network mirror).",
  },
  {
    name: "release",
    synopsis: "release --out DIR",
    summary:
      "Write the provider as a network mirror for an internal HTTPS host: zips for linux and darwin (amd64, arm64) and windows (amd64), each one executable with Node.js inside, SHA256SUMS, index.json and <version>.json. Releasing another version into DIR adds it to index.json.",
  },
  {
    name: "schema",
    synopsis: "schema",
    summary: "Print the provider schema as `terraform providers schema -json` would.",
  },
  {
    name: "emulator",
    synopsis: "emulator [options]",
    summary:
      "Run the local Auth0 tenant emulator (--port N, --host H, --seed FILE, --no-rate-limits, --time-scale N). Stop it with Ctrl-C.",
  },
  {
    name: "migrate",
    synopsis: "migrate --state FILE [--commands]",
    summary:
      "From the official provider's auth0_organization_member_roles entries in a state file, print import blocks for this provider and the terraform state rm commands that forget the old entries (--commands: only those). Nothing is revoked.",
    details:
      "Options:\n  --state FILE  The state, e.g. from terraform state pull > old.tfstate.\n  --commands    Print only the terraform state rm commands.",
  },
  {
    name: "review",
    synopsis: "review [options] PLAN",
    summary: "Summarize a plan's role changes for a pull request (see review --help).",
  },
  {
    name: "export",
    synopsis: "export --organization ORG_ID [options]",
    summary: "Write an organization's member roles as configuration with import blocks (see export --help).",
  },
  { name: "serve", synopsis: "serve", summary: "Serve the provider (what Terraform runs; not for humans)." },
  { name: "--version", synopsis: "--version", summary: "Print the version." },
];

/** `text` in lines of at most `width` characters, each indented by `indent` spaces. */
function wrap(text: string, indent: number, width = 100): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.map((l) => `${" ".repeat(indent)}${l}`).join("\n");
}

/** A short synopsis shares its line with the summary; a long one has a line of its own. */
function overviewEntry(c: (typeof COMMANDS)[number]): string {
  const summary = wrap(c.summary, 24);
  return c.synopsis.length <= 20
    ? `  ${c.synopsis.padEnd(22)}${summary.slice(24)}`
    : `  ${c.synopsis}\n${summary}`;
}

const USAGE = `Usage: auth0-member-roles <command> [options]

Commands:
${COMMANDS.map(overviewEntry).join("\n")}
`;

/** `auth0-member-roles COMMAND --help`. */
function commandUsage(name: string): string | undefined {
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) return undefined;
  const details = command.details ? `\n${command.details}\n` : "";
  // One blank line between the summary and the options, and a final newline either way.
  return `Usage: auth0-member-roles ${command.synopsis}\n\n${wrap(command.summary, 0)}\n${details}`;
}

/** The options of a command that takes options only, checked: an unknown one or a stray word is an error. */
function optionsOf(argv: readonly string[], options: readonly string[]): ParsedArgs {
  const args = parseArgs(argv, options);
  noPositionals(args);
  return args;
}

async function install(argv: readonly string[]): Promise<number> {
  const args = optionsOf(argv, ["--dir", "--lock-file"]);
  const { cliConfigFor, installProvider, lockProvider } = await import("../distribution/mirror");
  const dir = single(args, "--dir") ?? join("terraform.d", "plugins");
  const lockFile = single(args, "--lock-file") ?? ".terraform.lock.hcl";
  const installed = installProvider(dir);
  lockProvider(lockFile, installed.hashes);
  process.stdout.write(
    `Installed ${PROVIDER_SOURCE} ${PROVIDER_VERSION} in ${installed.mirrorDir} and recorded it in ${lockFile}.\n\n` +
      "Use it in Terraform:\n\n" +
      `  terraform {\n    required_providers {\n      auth0roles = {\n        source  = "${PROVIDER_SOURCE}"\n        version = "${PROVIDER_VERSION}"\n      }\n    }\n  }\n\n` +
      "Terraform finds it by itself when the mirror is ./terraform.d/plugins of the configuration directory\n" +
      "or ~/.terraform.d/plugins. For any other directory, point TF_CLI_CONFIG_FILE at a file containing:\n\n" +
      cliConfigFor(installed.mirrorDir),
  );
  return 0;
}

async function lock(argv: readonly string[]): Promise<number> {
  const args = optionsOf(argv, ["--lock-file", "--release"]);
  const { lockProvider, providerHashes } = await import("../distribution/mirror");
  const lockFile = single(args, "--lock-file") ?? ".terraform.lock.hcl";
  const releaseDir = single(args, "--release");
  const { releaseHashes } = await import("../distribution/release");
  lockProvider(lockFile, releaseDir === undefined ? providerHashes() : releaseHashes(releaseDir));
  process.stdout.write(`Recorded ${PROVIDER_SOURCE} ${PROVIDER_VERSION} in ${lockFile}.\n`);
  return 0;
}

/** Bad flags, an unreadable seed or a port in use end in one line on stderr, not a stack trace. */
async function emulator(argv: readonly string[]): Promise<number> {
  const { runEmulatorCommand } = await import("../emulator/command");
  try {
    await runEmulatorCommand([...argv]);
    return 0;
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " ");
    process.stderr.write(`auth0-member-roles emulator: ${message} (--help lists the options)\n`);
    return 2;
  }
}

function processIO() {
  return {
    stdout: (text: string) => process.stdout.write(text),
    stderr: (text: string) => process.stderr.write(text),
    env: process.env,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}

async function release(argv: readonly string[]): Promise<number> {
  const out = single(optionsOf(argv, ["--out"]), "--out");
  if (out === undefined) {
    process.stderr.write(`release needs --out DIR, the directory to write the mirror to.\n\n${USAGE}`);
    return 2;
  }
  const { writeRelease } = await import("../distribution/release");
  const written = await writeRelease(out);
  process.stdout.write(
    `Wrote ${PROVIDER_SOURCE} ${PROVIDER_VERSION} to ${written.providerDir}:\n` +
      written.files.map((file) => `  ${file}\n`).join("") +
      `\nUpload ${relative(process.cwd(), out) || "."}/ as the root of an HTTPS host and point Terraform at it:\n\n` +
      '  provider_installation {\n    network_mirror {\n      url     = "https://your-host/"\n' +
      `      include = ["${PROVIDER_SOURCE}"]\n    }\n    direct {\n      exclude = ["${PROVIDER_SOURCE}"]\n    }\n  }\n`,
  );
  return 0;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  // `install --help` must show help, not install; review, export and emulator have help of their own.
  const help =
    SIMPLE_COMMANDS.has(command ?? "") && wantsHelp(rest) ? commandUsage(command ?? "") : undefined;
  if (help) return printUsage(help);
  try {
    return await run(command, rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`auth0-member-roles ${command}: ${error.message} (--help lists the options)\n`);
    return 2;
  }
}

const SIMPLE_COMMANDS = new Set(["install", "lock", "release", "schema", "migrate"]);

function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}

function printUsage(usage: string): number {
  process.stdout.write(usage);
  return 0;
}

async function run(command: string | undefined, rest: readonly string[]): Promise<number> {
  switch (command) {
    case "serve": {
      const { serveProvider } = await import("../provider/startup/serve");
      await serveProvider();
      return 0;
    }
    case "schema": {
      optionsOf(rest, []);
      const { terraformSchemaJson } = await import("../provider/schema-json");
      process.stdout.write(`${JSON.stringify(terraformSchemaJson(), null, 2)}\n`);
      return 0;
    }
    case "install":
      return install(rest);
    case "lock":
      return lock(rest);
    case "migrate": {
      const { runMigrate } = await import("./migrate");
      return runMigrate(
        rest,
        (text) => process.stdout.write(text),
        (text) => process.stderr.write(text),
      );
    }
    case "review": {
      const { REVIEW_USAGE, runReview } = await import("./review");
      return wantsHelp(rest) ? printUsage(REVIEW_USAGE) : runReview(rest, processIO());
    }
    case "export": {
      const { EXPORT_USAGE, runExport } = await import("./export");
      return wantsHelp(rest) ? printUsage(EXPORT_USAGE) : runExport(rest, processIO());
    }
    case "release":
      return release(rest);
    case "--version":
    case "-v":
    case "version":
      process.stdout.write(`auth0-member-roles ${PACKAGE_VERSION}\n`);
      return 0;
    case "emulator":
      return emulator(rest);
    case undefined:
      // A bare command is a mistake (say, a script's missing argument): usage, and a failure.
      process.stderr.write(USAGE);
      return 2;
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`Unknown command ${JSON.stringify(command)}.\n\n${USAGE}`);
      return 2;
  }
}
