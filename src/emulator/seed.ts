import { readFileSync } from "node:fs";
import { ALL_SCOPES } from "./scopes";
import type { SeedData } from "./types";

/**
 * The tenant the emulator starts with when no seed is given. Its client's secret is public on
 * purpose: it only ever opens this loopback emulator.
 */
export const DEFAULT_SEED: SeedData = {
  clients: [{ clientId: "emulator-client", clientSecret: "emulator-secret", scopes: [...ALL_SCOPES] }],
  roles: [
    { id: "rol_admin00000000001", name: "admin", description: "Full access to the organization" },
    { id: "rol_billing000000001", name: "billing", description: "Manage invoices and payment methods" },
    { id: "rol_viewer0000000001", name: "viewer", description: "Read-only access" },
    { id: "rol_support000000001", name: "support", description: "Answer support tickets" },
    { id: "rol_auditor000000001", name: "auditor", description: "Read audit logs" },
  ],
  users: [
    { user_id: "auth0|alice", name: "Alice Example", email: "alice@example.com" },
    { user_id: "auth0|bob", name: "Bob Example", email: "bob@example.com" },
    { user_id: "auth0|carol", name: "Carol Example", email: "carol@example.com" },
    { user_id: "google-oauth2|dave", name: "Dave Example", email: "dave@example.com" },
    { user_id: "samlp|corp-sso|erin/ops", name: "Erin Example", email: "erin@example.com" },
  ],
  organizations: [
    {
      id: "org_acme000000000001",
      name: "acme",
      members: [
        { user_id: "auth0|alice", roles: ["rol_admin00000000001", "rol_billing000000001"] },
        { user_id: "auth0|bob", roles: ["rol_viewer0000000001"] },
        { user_id: "auth0|carol" },
        { user_id: "samlp|corp-sso|erin/ops", roles: ["rol_support000000001"] },
      ],
    },
    {
      id: "org_globex0000000001",
      name: "globex",
      members: [
        { user_id: "auth0|alice", roles: ["rol_viewer0000000001"] },
        { user_id: "google-oauth2|dave", roles: ["rol_billing000000001", "rol_viewer0000000001"] },
      ],
    },
  ],
};

/** Reads and validates a JSON seed file; errors name the file and the field. */
export function loadSeedFile(path: string): SeedData {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`Cannot read seed file ${path}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`Seed file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  validateSeedShape(data, `Seed file ${path}`);
  return data;
}

/** Auth0 limits organization ids in paths to 50 characters. */
const MAX_ORG_ID_LENGTH = 50;

/** Checks the shape of seed data (not references: `Tenant.seed` checks those against its state). */
export function validateSeedShape(data: unknown, source = "seed"): asserts data is SeedData {
  const fail = (field: string, problem: string): never => {
    throw new Error(`${source}: ${field} ${problem}`);
  };
  const object = (value: unknown, field: string, keys: readonly string[]): Record<string, unknown> => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      fail(field === "" ? "the seed" : field, "must be a JSON object.");
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!keys.includes(key))
        fail(
          `${field === "" ? "" : `${field}.`}${key}`,
          `is not a known field (expected one of: ${keys.join(", ")}).`,
        );
    }
    return record;
  };
  const array = (value: unknown, field: string): unknown[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) fail(field, "must be an array.");
    return value as unknown[];
  };
  const text = (value: unknown, field: string, optional = false): void => {
    if (optional && value === undefined) return;
    if (typeof value !== "string" || value === "") fail(field, "must be a non-empty string.");
  };
  const unique = (seen: Map<string, string>, id: string, field: string): void => {
    const first = seen.get(id);
    if (first !== undefined) fail(field, `repeats "${id}" (already at ${first}).`);
    seen.set(id, field);
  };

  const root = object(data, "", ["clients", "roles", "users", "organizations"]);

  const clientIds = new Map<string, string>();
  array(root.clients, "clients").forEach((value, i) => {
    const at = `clients[${i}]`;
    const client = object(value, at, ["clientId", "clientSecret", "scopes"]);
    text(client.clientId, `${at}.clientId`);
    text(client.clientSecret, `${at}.clientSecret`);
    if (!Array.isArray(client.scopes)) fail(`${at}.scopes`, "must be an array of scope names.");
    array(client.scopes, `${at}.scopes`).forEach((scope, k) => {
      text(scope, `${at}.scopes[${k}]`);
    });
    unique(clientIds, client.clientId as string, `${at}.clientId`);
  });

  const roleIds = new Map<string, string>();
  array(root.roles, "roles").forEach((value, i) => {
    const at = `roles[${i}]`;
    const role = object(value, at, ["id", "name", "description", "type", "owner_id"]);
    text(role.id, `${at}.id`);
    text(role.name, `${at}.name`);
    for (const field of ["description", "type", "owner_id"] as const) {
      if (role[field] !== undefined && typeof role[field] !== "string")
        fail(`${at}.${field}`, "must be a string.");
    }
    unique(roleIds, role.id as string, `${at}.id`);
  });

  const userIds = new Map<string, string>();
  array(root.users, "users").forEach((value, i) => {
    const at = `users[${i}]`;
    const user = object(value, at, ["user_id", "name", "email", "picture"]);
    text(user.user_id, `${at}.user_id`);
    text(user.name, `${at}.name`, true);
    text(user.email, `${at}.email`, true);
    text(user.picture, `${at}.picture`, true);
    unique(userIds, user.user_id as string, `${at}.user_id`);
  });

  const orgIds = new Map<string, string>();
  array(root.organizations, "organizations").forEach((value, i) => {
    const at = `organizations[${i}]`;
    const org = object(value, at, ["id", "name", "members"]);
    text(org.id, `${at}.id`);
    if ((org.id as string).length > MAX_ORG_ID_LENGTH)
      fail(`${at}.id`, `must be at most ${MAX_ORG_ID_LENGTH} characters.`);
    text(org.name, `${at}.name`);
    unique(orgIds, org.id as string, `${at}.id`);
    const memberIds = new Map<string, string>();
    array(org.members, `${at}.members`).forEach((memberValue, j) => {
      const mat = `${at}.members[${j}]`;
      const member = object(memberValue, mat, ["user_id", "roles"]);
      text(member.user_id, `${mat}.user_id`);
      unique(memberIds, member.user_id as string, `${mat}.user_id`);
      array(member.roles, `${mat}.roles`).forEach((roleId, k) => {
        text(roleId, `${mat}.roles[${k}]`);
      });
    });
  });
}
