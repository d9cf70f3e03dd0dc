import { readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type Emulator, startEmulator } from "../../src/emulator";
import { TerraformWorkspace } from "../support/terraform";
import { MEMBER_ROLES_SCOPES, memberRolesConfig } from "./fixtures";

// `kill -9` of a real `terraform apply` while the provider waits on the tenant: the provider must
// start no write that nobody would record, and must not live on under another parent.
jest.setTimeout(180_000);

const ORG = "org_acme000000000001";
const ALICE = "auth0|alice";
const [ADMIN, VIEWER] = ["rol_admin00000000001", "rol_viewer0000000001"];
const ROLES_PATH = /\/members\/auth0%7Calice\/roles$/;
/** Shorter than the client's 30 s timeout per attempt, so the read is answered, not retried. */
const READ_LATENCY_MS = 3_000;
/** After the slow read's answer, how long a write would have had to show up. */
const WRITE_WINDOW_MS = 1_000;

let emu: Emulator;
let tf: TerraformWorkspace;

beforeAll(async () => {
  emu = await startEmulator({
    rateLimits: false,
    seed: {
      clients: [
        { clientId: "terraform-ci", clientSecret: "ci-secret-0123456789", scopes: MEMBER_ROLES_SCOPES },
      ],
      roles: [ADMIN, VIEWER].map((id) => ({ id, name: id })),
      users: [{ user_id: ALICE }],
      organizations: [{ id: ORG, name: "acme", members: [{ user_id: ALICE }] }],
    },
  });
  tf = new TerraformWorkspace({
    AUTH0_DOMAIN: emu.url,
    AUTH0_CLIENT_ID: "terraform-ci",
    AUTH0_CLIENT_SECRET: "ci-secret-0123456789",
  });
});

afterAll(async () => {
  tf?.dispose();
  await emu?.stop();
});

// With logs off the provider writes nothing to its closed stderr, so no EPIPE can end it by accident.
test.each([
  ["provider logs at their default level", {}],
  ["provider logs off", { TF_LOG_PROVIDER: "off" }],
])("with %s, the provider starts no write and exits", async (_logs, env: Record<string, string>) => {
  tf.writeConfig(memberRolesConfig({ alice: { organization_id: ORG, user_id: ALICE, roles: [ADMIN] } }));
  await tf.init();
  await tf.apply();
  expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN]);

  tf.writeConfig(memberRolesConfig({ alice: { organization_id: ORG, user_id: ALICE, roles: [VIEWER] } }));
  emu.clearRequests();
  // Without refresh, the only read is the apply's own, and it is slow.
  emu.injectFault({ method: "GET", path: ROLES_PATH, kind: "latency", latencyMs: READ_LATENCY_MS });
  const terraform = tf.start(["apply", "-no-color", "-auto-approve", "-input=false", "-refresh=false"], env);
  const terraformExited = new Promise((resolve) => terraform.on("exit", resolve));
  let providers: number[] = [];
  try {
    await until(() => emu.requests.some((r) => ROLES_PATH.test(r.path)));
    providers = providerPids(tf.rootDir);
    expect(providers.length).toBeGreaterThan(0);
  } finally {
    terraform.kill("SIGKILL");
    await terraformExited;
  }
  await until(() => providers.every((pid) => !isRunning(pid)));
  // Had the provider lived on, the read's answer would have come and its writes followed.
  await until(() => emu.requests.every((r) => r.status !== 0));
  await sleep(WRITE_WINDOW_MS);
  expect(emu.requests.filter((r) => r.method !== "GET" && r.path.startsWith("/api/"))).toEqual([]);
  expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN]);
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(20);
}

/** Running provider processes Terraform started in this workspace. */
function providerPids(root: string): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        // Terraform starts the provider by a path relative to the working directory.
        const cmdline = readFileSync(join("/proc", String(pid), "cmdline"), "utf8");
        const cwd = readlinkSync(join("/proc", String(pid), "cwd"));
        return cwd.startsWith(realpathSync(root)) && cmdline.includes("rolesascode/auth0roles/");
      } catch {
        return false;
      }
    })
    .filter(isRunning);
}

/** A process that exited but was not reaped yet (a zombie) counts as gone. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(join("/proc", String(pid), "stat"), "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
