import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, LocalBackend } from "cdktf";
import { runReview } from "../src/cli/review";
import { type Emulator, type SeedData, startEmulator } from "../src/emulator";
import { AccessStack } from "./access-stack";
import { ACME_MEMBERS, ACME_ORGANIZATION, type MemberAccess, ROLES } from "./tenant";

/**
 * The main job: the example app's whole life against a local Auth0 emulator, told step by step.
 * Grant roles, review a pull request that takes one away, apply it (the documented DELETE), destroy.
 */

const CLIENT_ID = "demo-pipeline";
// The emulator's own throwaway credential: it opens nothing but this loopback process.
const CLIENT_SECRET = "demo-pipeline-secret";
const STACK = "acme-access";

const roleName: ReadonlyMap<string, string> = new Map(Object.entries(ROLES).map(([name, id]) => [id, name]));

const seed: SeedData = {
  clients: [
    {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      scopes: [
        "read:organization_member_roles",
        "create:organization_member_roles",
        "delete:organization_member_roles",
        "read:roles",
      ],
    },
  ],
  roles: Object.entries(ROLES).map(([name, id]) => ({ id, name })),
  users: ACME_MEMBERS.map((m) => ({ user_id: m.userId, name: m.name })),
  organizations: [
    { id: ACME_ORGANIZATION, name: "acme", members: ACME_MEMBERS.map((m) => ({ user_id: m.userId })) },
  ],
};

const say = (text = "") => process.stdout.write(`${text}\n`);
const indent = (text: string, by = "      ") =>
  text
    .trimEnd()
    .split("\n")
    .map((line) => by + line)
    .join("\n");

function step(n: number, title: string): void {
  say();
  say(`[${n}/7] ${title}`);
}

function synthesize(outdir: string, members: readonly MemberAccess[]): string {
  const app = new App({ outdir });
  const stack = new AccessStack(app, STACK, { organizationId: ACME_ORGANIZATION, members });
  // The demo's state lives in its temporary directory, not in the checkout it is run from.
  new LocalBackend(stack, { path: join(outdir, "terraform.tfstate") });
  app.synth();
  return join(outdir, "stacks", STACK);
}

/** Runs terraform asynchronously: the emulator answering its provider lives in this same process. */
function terraform(stackDir: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.env.AUTH0ROLES_TERRAFORM || "terraform",
      [...args, "-no-color"],
      { cwd: stackDir, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const planWithChanges = args[0] === "plan" && error?.code === 2;
        if (error && typeof error.code !== "number") {
          reject(
            new Error(
              `Could not run terraform (${error.message}). Put Terraform on PATH, or run \`npm run demo\`, which builds one.`,
            ),
          );
        } else if (error && !planWithChanges) {
          reject(new Error(`terraform ${args.join(" ")} failed:\n${stdout}\n${stderr}`));
        } else {
          resolve(stdout);
        }
      },
    );
  });
}

function tenantRoles(emu: Emulator): string {
  return ACME_MEMBERS.map((m) => {
    const held = emu.tenant.memberRoles(ACME_ORGANIZATION, m.userId).map((id) => roleName.get(id) ?? id);
    return `${m.name.padEnd(6)} ${held.length > 0 ? held.join(", ") : "(no roles)"}`;
  }).join("\n");
}

function writeCalls(emu: Emulator): string {
  return emu.requests
    .filter((r) => r.path.startsWith("/api/") && r.method !== "GET")
    .map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body)} -> ${r.status}`)
    .join("\n");
}

/** The summary `auth0-member-roles review` writes for the pull request, from the saved plan file. */
async function reviewSummary(stackDir: string, planFile: string, env: NodeJS.ProcessEnv): Promise<string> {
  let out = "";
  const code = await runReview(["--chdir", stackDir, planFile], {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      out += text;
    },
    env,
    readStdin: async () => "",
  });
  if (code !== 0) throw new Error(`auth0-member-roles review exited ${code}:\n${out}`);
  return out;
}

/** The part of a plan a reviewer reads: the resource changes and the summary line. */
function planExcerpt(plan: string): string {
  const start = plan.indexOf("Terraform will perform the following actions:");
  const end = plan.indexOf("Plan:");
  if (start < 0 || end < 0) return plan;
  const summary = plan.slice(end).split("\n")[0] ?? "";
  return `${plan.slice(start, end).trimEnd()}\n\n${summary}`;
}

export async function runDemo(): Promise<void> {
  const workdir = mkdtempSync(join(tmpdir(), "auth0roles-demo-"));
  const emu = await startEmulator({ seed, rateLimits: false });
  try {
    say("Auth0 organization member roles as code: a walk through one pull request's life,");
    say("against a local Auth0 tenant emulator (no Auth0 account needed, nothing leaves this machine).");

    step(1, `Started the Auth0 emulator at ${emu.url}`);
    say(
      `      Organization acme (${ACME_ORGANIZATION}), members ${ACME_MEMBERS.map((m) => m.name).join(", ")},`,
    );
    say(`      roles ${Object.keys(ROLES).join(", ")}. Nobody holds a role yet.`);
    say(
      `      This tenant is the demo's own seed (examples/tenant.ts), not the one \`auth0-member-roles emulator\``,
    );
    say(
      `      starts with: one organization whose members hold nothing, and the client ${CLIENT_ID} with only the`,
    );
    say("      member-roles scopes and read:roles (the default tenant's emulator-client holds every scope,");
    say("      and its members already hold roles).");

    const outdir = join(workdir, "cdktf.out");
    const stackDir = synthesize(outdir, ACME_MEMBERS);
    step(2, "Synthesized the example CDKTF app (examples/main.ts)");
    for (const m of ACME_MEMBERS) {
      say(
        `      new OrganizationMemberRoles(${m.name}): ${m.roles.map((id) => roleName.get(id)).join(", ")}`,
      );
    }
    say(
      `      -> ${join(stackDir, "cdk.tf.json")}, with the provider laid out in terraform.d/plugins beside it`,
    );

    // An empty CLI configuration: Terraform finds the provider in the stack's own terraform.d/plugins.
    const cliConfig = join(workdir, "terraform.rc");
    writeFileSync(cliConfig, "");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
      AUTH0_DOMAIN: emu.url,
      AUTH0_CLIENT_ID: CLIENT_ID,
      AUTH0_CLIENT_SECRET: CLIENT_SECRET,
    };

    await terraform(stackDir, env, "init", "-input=false");
    step(3, "terraform init: the provider installed from the mirror next to the stack, no registry");

    emu.clearRequests();
    await terraform(stackDir, env, "apply", "-auto-approve", "-input=false");
    step(4, "terraform apply (the deploy pipeline) granted the roles. Calls the provider made:");
    say(indent(writeCalls(emu)));
    say("      The tenant now:");
    say(indent(tenantRoles(emu), "        "));

    const changed = ACME_MEMBERS.map((m) =>
      m.name === "bob" ? { ...m, roles: m.roles.filter((r) => r !== ROLES.billing) } : m,
    );
    synthesize(outdir, changed);
    step(5, "A pull request removes billing from bob. The plan the reviewers read:");
    const planFile = "pull-request.tfplan";
    say(
      indent(
        planExcerpt(
          await terraform(stackDir, env, "plan", "-input=false", "-detailed-exitcode", `-out=${planFile}`),
        ),
      ),
    );
    say();
    say("      ...and the summary `auth0-member-roles review` posts on the pull request, with role names:");
    say(indent(await reviewSummary(stackDir, planFile, env)));

    emu.clearRequests();
    await terraform(stackDir, env, "apply", "-input=false", planFile);
    step(6, "Merged: exactly the reviewed plan is applied. The role is revoked with the documented DELETE:");
    say(indent(writeCalls(emu)));
    say("      The tenant now:");
    say(indent(tenantRoles(emu), "        "));

    emu.clearRequests();
    await terraform(stackDir, env, "destroy", "-auto-approve", "-input=false");
    step(7, "terraform destroy revokes every managed role:");
    say(indent(writeCalls(emu)));
    say("      The tenant now:");
    say(indent(tenantRoles(emu), "        "));
    say();
    say("Done. Next: README.md shows how to point the same code at your tenant.");
  } finally {
    await emu.stop();
    rmSync(workdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runDemo().catch((error: unknown) => {
    process.stderr.write(`Demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
