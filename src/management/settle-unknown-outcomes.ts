import { ManagementApiError } from "./errors";
import type { ManagementLogger } from "./types";

/** How many unknown outcomes one role write may have, the first included, before it fails. */
export const MAX_UNKNOWN_OUTCOMES = 3;

/** One role write (assign or remove) of one member, and how to read what the member holds. */
export interface RoleWrite {
  method: "POST" | "DELETE";
  path: string;
  /** Sends the write for these roles (one call's worth). */
  send(roles: readonly string[]): Promise<void>;
  /** The ids of the roles the member holds now, from the member's own endpoint. */
  held(): Promise<ReadonlySet<string>>;
  logger?: ManagementLogger;
}

/**
 * Sends a role write. When Auth0's answer leaves its outcome unknown (a 5xx, a connection lost after
 * the request was sent), reads the member's roles and sends again only what is still to do: roles
 * not yet held for an assign, roles still held for a remove. Auth0 does not document what assigning
 * a held role does, so nothing is repeated blindly; nothing is left to do means the write took
 * effect. Answers that say Auth0 refused (4xx) fail at once; every call obeys the caller's signal.
 */
export async function writeRolesSettlingUnknownOutcomes(
  write: RoleWrite,
  roles: readonly string[],
): Promise<void> {
  const unknown: ManagementApiError[] = [];
  let pending = roles;
  for (;;) {
    try {
      await write.send(pending);
      return;
    } catch (error) {
      if (!(error instanceof ManagementApiError && error.outcomeUnknown)) throw error;
      unknown.push(error);
    }
    write.logger?.warn("auth0 write outcome unknown; reading the member's roles", {
      method: write.method,
      path: write.path,
      unknownOutcomes: unknown.length,
      cause: unknown.map(describeOutcome).join(", "),
    });
    let held: ReadonlySet<string>;
    try {
      held = await write.held();
    } catch (error) {
      throw readFailed(write, unknown, error);
    }
    pending = stillToDo(write.method, roles, held);
    if (pending.length === 0) return;
    if (unknown.length >= MAX_UNKNOWN_OUTCOMES) throw gaveUp(write, roles, pending, unknown);
  }
}

/** What of the write the member's roles do not show yet: roles not held (assign), or still held (remove). */
function stillToDo(
  method: RoleWrite["method"],
  roles: readonly string[],
  held: ReadonlySet<string>,
): string[] {
  return roles.filter((role) => (method === "POST" ? !held.has(role) : held.has(role)));
}

function describeOutcome(error: ManagementApiError): string {
  return error.status === undefined ? "no answer" : `HTTP ${error.status}`;
}

/** The write's outcome stays unknown: the read that was to settle it failed (its reason is kept). */
function readFailed(write: RoleWrite, unknown: readonly ManagementApiError[], error: unknown): unknown {
  if (!(error instanceof ManagementApiError)) return error;
  const last = unknown.at(-1) as ManagementApiError;
  const earlier = unknown.length > 1 ? ` (unknown outcome ${unknown.length} of this write)` : "";
  return new ManagementApiError({
    reason: error.reason,
    status: error.status,
    errorCode: error.errorCode,
    method: write.method,
    path: write.path,
    outcomeUnknown: true,
    message: `${write.method} ${write.path} got ${describeOutcome(last)}${earlier}, so whether it took effect is unknown, and reading the member's roles to find out failed: ${error.message}`,
  });
}

function gaveUp(
  write: RoleWrite,
  roles: readonly string[],
  pending: readonly string[],
  unknown: readonly ManagementApiError[],
): ManagementApiError {
  const last = unknown.at(-1) as ManagementApiError;
  const assign = write.method === "POST";
  const left = `${pending.length} of the ${roles.length} role${roles.length === 1 ? "" : "s"} ${pending.length === 1 ? "is" : "are"} still ${assign ? "not held" : "held"}`;
  return new ManagementApiError({
    reason: last.reason,
    status: last.status,
    errorCode: last.errorCode,
    method: write.method,
    path: write.path,
    message:
      `${write.method} ${write.path}: the outcome was unknown ${unknown.length} times (${unknown.map(describeOutcome).join(", ")}). ` +
      `The client read the member's roles after each and sent again only the roles ${assign ? "not yet held" : "still held"}; after the last, ${left}: ${listIds(pending)}. ` +
      "Check https://status.auth0.com and your network, then run again: the next run reads the roles actually held.",
  });
}

/** Role ids for a message; a long list is cut, the count stays. */
function listIds(ids: readonly string[]): string {
  const shown = ids.slice(0, 10).join(", ");
  return ids.length > 10 ? `${shown} and ${ids.length - 10} more` : shown;
}
