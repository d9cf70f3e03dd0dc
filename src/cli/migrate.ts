/**
 * `auth0-member-roles migrate --state FILE`: the way off the official provider that needs no copy of
 * it. Terraform's `moved` blocks need the old provider installed (for its schema); this command
 * reads the state file instead and prints what replaces the move: `terraform state rm` of the old
 * entries (state only, no API call) and import blocks for the new resources (reads only).
 */
import { readFileSync } from "node:fs";
import { memberRolesId } from "../provider/resources/member-roles-state";
import {
  OFFICIAL_MEMBER_ROLES,
  OFFICIAL_PROVIDERS,
  officialMemberRoles,
} from "../provider/resources/official-provider";
import { MEMBER_ROLES_RESOURCE } from "../provider/startup/provider-names";
import { noPositionals, parseArgs, single } from "./args";

/** Unusable input: the message says what to fix. */
class MigrateInputError extends Error {}

export interface OfficialEntry {
  /** The instance's address in state, e.g. `module.team.auth0_organization_member_roles.alice["x"]`. */
  readonly from: string;
  /** The same address with this provider's resource type. */
  readonly to: string;
  /** The import id, `org::user`. */
  readonly id: string;
}

interface StateResource {
  module?: unknown;
  mode?: unknown;
  type?: unknown;
  name?: unknown;
  provider?: unknown;
  instances?: unknown;
}

const PROVIDER_REF = /^provider\["([^"]+)"\](\.[A-Za-z0-9_-]+)?$/;

/** The official provider's member-roles entries of a state file (`terraform.tfstate`, `terraform state pull`). */
function officialEntries(stateText: string, file: string): OfficialEntry[] {
  let state: unknown;
  try {
    state = JSON.parse(stateText);
  } catch {
    throw new MigrateInputError(`${file} is not JSON. Pass a state file: terraform state pull > state.json`);
  }
  const record = state as { version?: unknown; resources?: unknown };
  if (
    typeof record !== "object" ||
    record === null ||
    record.version !== 4 ||
    !Array.isArray(record.resources)
  ) {
    throw new MigrateInputError(
      `${file} is not a Terraform state (format version 4, with resources). Pass the output of terraform state pull.`,
    );
  }
  return (record.resources as StateResource[])
    .filter(isOfficialMemberRoles)
    .flatMap((r) => entriesOf(r, file));
}

function isOfficialMemberRoles(resource: StateResource): boolean {
  const provider =
    typeof resource.provider === "string" ? PROVIDER_REF.exec(resource.provider)?.[1] : undefined;
  return (
    resource.mode === "managed" &&
    resource.type === OFFICIAL_MEMBER_ROLES &&
    provider !== undefined &&
    OFFICIAL_PROVIDERS.includes(provider.toLowerCase())
  );
}

function entriesOf(resource: StateResource, file: string): OfficialEntry[] {
  const module = typeof resource.module === "string" && resource.module !== "" ? `${resource.module}.` : "";
  const name = String(resource.name);
  const instances = Array.isArray(resource.instances) ? resource.instances : [];
  return instances.map((instance: { index_key?: unknown; attributes?: unknown }) => {
    const key = indexKey(instance.index_key);
    const from = `${module}${OFFICIAL_MEMBER_ROLES}.${name}${key}`;
    const attributes = (instance.attributes ?? {}) as Record<string, unknown>;
    const entry = officialMemberRoles(attributes);
    if (!entry.ok) throw new MigrateInputError(`${from} in ${file} cannot be migrated: ${entry.problem}.`);
    return {
      from,
      to: `${module}${MEMBER_ROLES_RESOURCE}.${name}${key}`,
      id: memberRolesId(entry.state.organizationId, entry.state.userId),
    };
  });
}

function indexKey(key: unknown): string {
  if (typeof key === "number") return `[${key}]`;
  if (typeof key === "string") return `[${JSON.stringify(key)}]`;
  return "";
}

/** A double-quoted HCL string: JSON's escapes, plus template sequences made literal. */
function hclString(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `terraform state rm` of every entry, one command per line. */
function stateRmCommands(entries: readonly OfficialEntry[]): string {
  return entries.map((e) => `terraform state rm ${shellQuote(e.from)}\n`).join("");
}

/** Import blocks for every entry, with the steps to follow as comments. */
function importBlocks(entries: readonly OfficialEntry[], file: string): string {
  const steps = [
    `# ${entries.length} ${OFFICIAL_MEMBER_ROLES} entries of the official Auth0 provider in ${file}.`,
    "# To move them to this provider without revoking anything:",
    `# 1. Rename each resource block from ${OFFICIAL_MEMBER_ROLES} to ${MEMBER_ROLES_RESOURCE}`,
    "#    (same name, same arguments), and remove the official provider if nothing else uses it.",
    "# 2. Forget the old entries. This changes the state only; no API call is made:",
    ...entries.map((e) => `#      terraform state rm ${shellQuote(e.from)}`),
    "# 3. Save the import blocks below next to the resources, then terraform init and terraform plan:",
    "#    the plan imports each member and, where the configuration matches the tenant, changes nothing.",
    "",
  ];
  const blocks = entries.map((e) => `import {\n  to = ${e.to}\n  id = ${hclString(e.id)}\n}\n`);
  return `${steps.join("\n")}\n${blocks.join("\n")}`;
}

/** Runs the command; returns the exit status (0 done, 2 unusable input). */
export function runMigrate(
  argv: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
): number {
  const args = parseArgs(argv, ["--state"], ["--commands"]);
  noPositionals(args);
  const file = single(args, "--state");
  if (file === undefined) {
    err(
      "migrate needs --state FILE, a state file holding the official provider's entries (terraform state pull > FILE).\n",
    );
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    err(`Cannot read --state ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  try {
    const entries = officialEntries(text, file);
    if (entries.length === 0) {
      err(
        `${file} holds no ${OFFICIAL_MEMBER_ROLES} entries of the official Auth0 provider: nothing to migrate.\n`,
      );
      return 0;
    }
    out(args.flags.has("--commands") ? stateRmCommands(entries) : importBlocks(entries, file));
    return 0;
  } catch (error) {
    if (!(error instanceof MigrateInputError)) throw error;
    err(`${error.message}\n`);
    return 2;
  }
}
