import { join } from "node:path";
import { PROVIDER_ENTRY_POINT } from "../provider/entry-point";
import { PROVIDER_SOURCE, PROVIDER_VERSION } from "../provider/identity";

const USAGE = `Usage: auth0-member-roles <command> [options]

Commands:
  install [--dir DIR]   Lay the Terraform provider out in a plugin mirror (default ./terraform.d/plugins,
                        which Terraform searches by itself) and print how to use it.
  schema                Print the provider schema as \`terraform providers schema -json\` would.
  emulator [options]    Run the local Auth0 tenant emulator (--port N, --host H, --seed FILE,
                        --no-rate-limits, --time-scale N). Stop it with Ctrl-C.
  review [options] PLAN Summarize a plan's role changes for a pull request (see review --help).
  export --organization ORG_ID [options]
                        Write an organization's member roles as configuration with import blocks.
  serve                 Serve the provider (what Terraform runs; not for humans).
`;

function option(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

async function install(argv: readonly string[]): Promise<number> {
  const { cliConfigFor, installProvider } = await import("../provider/install");
  const dir = option(argv, "--dir") ?? join("terraform.d", "plugins");
  const installed = installProvider(dir, PROVIDER_ENTRY_POINT);
  process.stdout.write(
    `Installed ${PROVIDER_SOURCE} ${PROVIDER_VERSION} at ${installed.executable}\n\n` +
      "Use it in Terraform:\n\n" +
      `  terraform {\n    required_providers {\n      auth0roles = { source = "${PROVIDER_SOURCE}" }\n    }\n  }\n\n` +
      "Terraform finds it by itself when the mirror is ./terraform.d/plugins of the configuration directory\n" +
      "or ~/.terraform.d/plugins. For any other directory, point TF_CLI_CONFIG_FILE at a file containing:\n\n" +
      cliConfigFor(installed.mirrorDir),
  );
  return 0;
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

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "serve": {
      const { serveProvider } = await import("../provider/main");
      await serveProvider();
      return 0;
    }
    case "schema": {
      const { terraformSchemaJson } = await import("../provider/schema");
      process.stdout.write(`${JSON.stringify(terraformSchemaJson(), null, 2)}\n`);
      return 0;
    }
    case "install":
      return install(rest);
    case "review": {
      const { REVIEW_USAGE, runReview } = await import("./review");
      if (rest.includes("--help") || rest.includes("-h")) {
        process.stdout.write(REVIEW_USAGE);
        return 0;
      }
      return runReview(rest, processIO());
    }
    case "export": {
      const { EXPORT_USAGE, runExport } = await import("./export");
      if (rest.includes("--help") || rest.includes("-h")) {
        process.stdout.write(EXPORT_USAGE);
        return 0;
      }
      return runExport(rest, processIO());
    }
    case "emulator": {
      const { runEmulatorCommand } = await import("../emulator/command");
      await runEmulatorCommand(rest);
      return 0;
    }
    case undefined:
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
