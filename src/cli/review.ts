import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { ConfigurationError, connectionFromEnv, ManagementClient } from "../management";
import {
  FAIL_ON_VALUES,
  type FailOn,
  ManagementTenantReader,
  NoTenantReader,
  PlanInputError,
  parsePlanText,
  policyFailures,
  renderMarkdown,
  sensitivePatterns,
  summarize,
  type TenantReader,
} from "../review";
import { parseArgs, single, UsageError } from "./args";

export const REVIEW_USAGE = `Usage: auth0-member-roles review [options] PLAN

PLAN is the output of \`terraform show -json PLANFILE\` (a file, or - for standard input), or a saved
plan file, which the command reads with \`terraform show -json\` in the directory it was planned in:
this one, or --chdir's.

Options:
  --format markdown|json   Output (default markdown, for a pull-request comment).
  --sensitive PATTERN      Role names or ids matching PATTERN (a case-insensitive regular expression)
                           are listed as privileged changes. Repeatable.
  --fail-on privileged|revoke
                           Exit 3 when the plan makes a privileged change (needs --sensitive), or
                           revokes any role. Repeatable.
  --chdir DIR              The Terraform working directory of the plan file (a CDKTF stack:
                           cdktf.out/stacks/NAME).

Role names and the roles that created members hold today are read from the tenant when AUTH0_DOMAIN
and credentials (AUTH0_CLIENT_ID + AUTH0_CLIENT_SECRET, or AUTH0_API_TOKEN) are set.
Exit status: 0 summary printed, 2 unusable input, 3 a --fail-on policy was hit.
`;

const OPTIONS = ["--format", "--sensitive", "--fail-on", "--chdir"];

export interface ReviewIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  readStdin: () => Promise<string>;
}

export async function runReview(argv: readonly string[], io: ReviewIO): Promise<number> {
  try {
    const args = parseArgs(argv, OPTIONS);
    const format = single(args, "--format", ["markdown", "json"] as const) ?? "markdown";
    const failOn = (args.values.get("--fail-on") ?? []).map((value) => {
      if (!FAIL_ON_VALUES.includes(value as FailOn)) {
        throw new UsageError(
          `--fail-on ${JSON.stringify(value)} is not one of ${FAIL_ON_VALUES.join(", ")}.`,
        );
      }
      return value as FailOn;
    });
    const sensitive = patterns(args.values.get("--sensitive") ?? []);
    if (failOn.includes("privileged") && sensitive.length === 0) {
      throw new UsageError(
        "--fail-on privileged needs at least one --sensitive PATTERN: without one no change counts as privileged, so the gate could never fire.",
      );
    }
    if (args.positionals.length !== 1) {
      throw new UsageError(
        args.positionals.length === 0
          ? "PLAN is missing: pass the output of terraform show -json PLANFILE (a path, or - for standard input)."
          : `Expected one PLAN, got ${args.positionals.length}: ${args.positionals.join(" ")}.`,
      );
    }
    const planArg = args.positionals[0] as string;
    const chdir = single(args, "--chdir");
    const read = chdir ? undefined : await readPlanJson(planArg, io.readStdin);
    // A saved plan file is shown by terraform in the directory it was planned in: --chdir's, or this one.
    const { text, source } = read ?? (await showPlanFile(chdir, planArg, io.env));
    const plan = parsePlanText(text, source);
    const review = await summarize(plan, tenantReader(io.env), sensitive);
    io.stdout(format === "json" ? `${JSON.stringify(review, null, 2)}\n` : renderMarkdown(review));
    const failures = policyFailures(review, failOn);
    for (const failure of failures) io.stderr(`${failure}\n`);
    return failures.length > 0 ? 3 : 0;
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof PlanInputError ||
      error instanceof ConfigurationError
    ) {
      io.stderr(`auth0-member-roles review: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function patterns(sources: readonly string[]) {
  try {
    return sensitivePatterns(sources);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function tenantReader(env: ReviewIO["env"]): TenantReader {
  const connection = connectionFromEnv(env);
  if (!connection.ok) return new NoTenantReader(`no Auth0 credentials: ${connection.problem}`);
  return new ManagementTenantReader(
    new ManagementClient({ domain: connection.domain, credentials: connection.credentials }),
  );
}

async function readPlanJson(
  path: string,
  readStdin: () => Promise<string>,
): Promise<{ text: string; source: string } | undefined> {
  if (path === "-") return { text: await readStdin(), source: "standard input" };
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new PlanInputError(
      `Cannot read PLAN ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
    );
  }
  // Saved plan files are zip archives: undefined, for terraform to show.
  if (bytes.subarray(0, 4).toString("latin1") === "PK\u0003\u0004") return undefined;
  return { text: bytes.toString("utf8"), source: path };
}

/** `terraform show -json PLANFILE` in the plan's working directory: `chdir`, or this one. */
function showPlanFile(
  chdir: string | undefined,
  planFile: string,
  env: ReviewIO["env"],
): Promise<{ text: string; source: string }> {
  const here = chdir === undefined;
  const dir = chdir ?? ".";
  const source = here ? planFile : `${planFile} in ${dir}`;
  const where = here ? "in this directory" : `in ${dir}`;
  const hint = here
    ? ` Run review in the directory the plan was made in, or pass --chdir with it, or pass the output of terraform show -json ${planFile}.`
    : "";
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return Promise.reject(new PlanInputError(`--chdir ${dir} is not a directory.`));
  }
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", ["show", "-json", "-no-color", planFile], {
      cwd: dir,
      env: { ...env, CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (error) =>
      reject(
        new PlanInputError(
          `Could not run terraform show -json ${where}: ${error.message}. Is terraform on PATH?${hint}`,
        ),
      ),
    );
    child.on("close", (code) => {
      if (code === 0) resolve({ text: Buffer.concat(out).toString("utf8"), source });
      else {
        const why = Buffer.concat(err).toString("utf8").replace(/\s+/g, " ").trim();
        reject(
          new PlanInputError(
            `terraform show -json ${planFile} ${where} failed (exit ${code}): ${why}${hint}`,
          ),
        );
      }
    });
  });
}
