import { setTimeout as sleep } from "node:timers/promises";
import type { ListedMember, MembersWalkOptions, Role } from "../../management";
import { ManagementApiError } from "../../management/errors";
import { diffRoles, orderRoleChanges, type RoleChangeSteps, validateMemberRoles } from "../../roles";
import { failureDiagnostic, isMembershipGone } from "../api-diagnostics";
import type {
  Claim,
  CreateRequest,
  ImportResult,
  ModifyPlanRequest,
  PlanModification,
  ProviderContext,
  Resource,
  ResourceIdentity,
  StateResult,
  UpdateRequest,
} from "../framework";
import type { PlanChecks } from "../plan-checks";
import { attributePath, type Diagnostic, errorDiag, errorText, warningDiag } from "../protocol/diagnostics";
import { type TfObject, type TfValue, UNKNOWN } from "../protocol/values";
import { memberRolesIdentitySchema, memberRolesSchema } from "../schema";
import { MEMBER_ROLES_RESOURCE } from "../startup/provider-names";
import { findingsToDiagnostics, memberClaim } from "./finding-diagnostics";
import { memberRolesList } from "./member-roles-list";
import {
  isKnownString,
  knownIdentity,
  knownRoles,
  type MemberRolesState,
  memberRolesId,
  parseMemberRolesId,
  sortRoles,
  toTfObject,
} from "./member-roles-state";
import { cutList } from "./message-lists";
import { officialProviderMovers } from "./official-provider";
import { membershipGoneSummary, revocationWarnings } from "./revocation-warnings";
import { type RoleListingApi, unknownRoleIds } from "./role-ids";
import { type GrantedScopesApi, missingScopes, writeScopes } from "./write-scopes";

/** The calls this resource makes; MemberRolesService provides them over the Management API client. */
export interface MemberRolesApi extends GrantedScopesApi, RoleListingApi {
  /** The provider's plan_checks (default "warn"). */
  readonly planChecks?: PlanChecks;
  /** For a refresh: may be answered from a listing of the organization, which may only confirm `expected`. */
  refreshRoles(
    orgId: string,
    userId: string,
    expected: readonly string[] | undefined,
    opts?: { signal?: AbortSignal },
  ): Promise<string[]>;
  /** Authoritative: the member's own roles endpoint. */
  listMemberRoles(orgId: string, userId: string, opts?: { signal?: AbortSignal }): Promise<Role[]>;
  assignMemberRoles(
    orgId: string,
    userId: string,
    roleIds: readonly string[],
    opts?: { signal?: AbortSignal },
  ): Promise<void>;
  removeMemberRoles(
    orgId: string,
    userId: string,
    roleIds: readonly string[],
    opts?: { signal?: AbortSignal },
  ): Promise<void>;
  /**
   * For a plan: roles held now that `desired` lacks; may be answered from the organization's
   * listing. undefined when not checked (the plan Terraform makes again while applying).
   */
  heldBeyond(
    orgId: string,
    userId: string,
    desired: readonly string[] | undefined,
    opts?: { signal?: AbortSignal },
  ): Promise<string[] | undefined>;
  /** Every role of the tenant, for names in warnings. */
  listRoles(opts?: { signal?: AbortSignal }): Promise<Role[]>;
  /** The organization's members with their roles, a page at a time, for `list` blocks. */
  organizationMemberPages(orgId: string, opts?: MembersWalkOptions): AsyncIterable<ListedMember[]>;
}

/** Reading back after a failed write: attempts, and the pause before the second (doubled before the third). */
const READ_BACK_ATTEMPTS = 3;
const READ_BACK_PAUSE_MS = 1_000;

/** Failures that another attempt may not meet; the rest (scope, not found, cancelled) will recur. */
function mayPass(error: unknown): boolean {
  if (!(error instanceof ManagementApiError)) return false;
  return ["server_error", "network", "rate_limited", "deadline_exceeded"].includes(error.reason);
}

/** Role ids for a message; a long list is cut, the count stays. */
function listIds(ids: readonly string[]): string {
  return ids.length === 0 ? "none" : cutList(ids);
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** What had happened when a write failed, so the reader knows whether the member lost anything. */
function progressNote(steps: RoleChangeSteps, failed: keyof RoleChangeSteps, error: unknown): string {
  const revokedFirst = steps.revokeFirst.length;
  switch (failed) {
    case "revokeFirst":
      return `Nothing was granted; revoking ${listIds(steps.revokeFirst)} first (to make room under the 50-role cap) failed, so the member may still hold them.`;
    case "grant": {
      const bad =
        error instanceof ManagementApiError && error.reason === "role_not_found"
          ? `At least one of the role ids this apply tried to grant does not exist in this tenant: ${listIds(steps.grant)}. Fix roles. `
          : `Granting ${listIds(steps.grant)} failed. `;
      const revoked =
        revokedFirst === 0
          ? "Nothing was revoked: the member keeps every role held before."
          : `Only ${listIds(steps.revokeFirst)} had been revoked first, to make room under the 50-role cap.`;
      return bad + revoked;
    }
    case "revokeAfter":
      return `${listIds(steps.grant)} ${steps.grant.length === 1 ? "was" : "were"} granted; revoking ${listIds(steps.revokeAfter)} failed, so the member may still hold ${steps.revokeAfter.length === 1 ? "it" : "them"}.`;
  }
}

/**
 * The checks of validate, plan and apply (the server layer runs `validate` at all three), and of
 * read, delete and import for the identifying attributes.
 */
function configDiagnostics(config: TfObject): Diagnostic[] {
  const diagnostics = findingsToDiagnostics(validateMemberRoles(validationInput(config)));
  // Terraform lets an explicit null through for a set; the member's roles cannot be "unknown kind".
  if ("roles" in config && config.roles === null) {
    diagnostics.push(
      errorDiag(
        "Invalid roles",
        "roles must be a set of role ids; use [] for a member who holds no roles.",
        attributePath("roles"),
      ),
    );
  }
  return diagnostics;
}

/** Errors in organization_id or user_id: calls that use only them (read, delete, import) stop there. */
function identityErrors(identity: { organizationId: string; userId: string }): Diagnostic[] {
  return configDiagnostics({ organization_id: identity.organizationId, user_id: identity.userId }).filter(
    (d) => d.severity === "error",
  );
}

function validationInput(config: TfObject) {
  const org = config.organization_id;
  const user = config.user_id;
  return {
    ...(isKnownString(org) ? { organizationId: org } : {}),
    ...(isKnownString(user) ? { userId: user } : {}),
    ...(Array.isArray(config.roles) ? { roles: knownRoles(config.roles) } : {}),
  };
}

/** `auth0roles_organization_member_roles`: the complete set of roles one member holds in one organization. */
export class OrganizationMemberRolesResource implements Resource<MemberRolesApi> {
  readonly typeName = MEMBER_ROLES_RESOURCE;
  readonly schema = memberRolesSchema;
  readonly movers = officialProviderMovers;
  readonly list = memberRolesList;
  readonly identity: ResourceIdentity = {
    schema: memberRolesIdentitySchema,
    importState: (identity) => {
      const { organization_id: organizationId, user_id: userId } = identity;
      if (!isKnownString(organizationId) || !isKnownString(userId)) {
        return {
          state: null,
          diagnostics: [
            errorDiag(
              "Invalid import identity",
              'identity needs both organization_id and user_id, e.g. { organization_id = "org_0123456789abcdef", user_id = "auth0|alice" }.',
            ),
          ],
        };
      }
      return importMember({ organizationId, userId }, { kind: "identity" });
    },
  };

  validate(config: TfObject): Diagnostic[] {
    return configDiagnostics(config);
  }

  /** The member: another resource managing the same member would undo this one's changes. */
  claims(config: TfObject): Claim[] {
    const identity = knownIdentity(config);
    if (!identity) return [];
    return [memberClaim(identity.organizationId, identity.userId, attributePath("user_id"))];
  }

  async read(
    state: TfObject,
    ctx: ProviderContext<MemberRolesApi>,
    opts?: { importing: boolean },
  ): Promise<StateResult> {
    const identity = knownIdentity(state);
    if (!identity) {
      return {
        newState: null,
        diagnostics: [
          errorDiag(
            "Stored state lacks organization_id or user_id",
            "Remove the resource from state (`terraform state rm ADDRESS`) and import it again with the id " +
              "`organization_id::user_id`.",
          ),
        ],
      };
    }
    const invalid = identityErrors(identity);
    if (invalid.length > 0) return { newState: state, diagnostics: invalid };
    // Right after an import the state holds no roles (null): nothing a bulk listing could confirm.
    const expected = state.roles === null ? undefined : knownRoles(state.roles);
    try {
      const roles = await ctx
        .api()
        .refreshRoles(identity.organizationId, identity.userId, expected, { signal: ctx.signal() });
      return { newState: toTfObject({ ...identity, roles }), diagnostics: [] };
    } catch (error) {
      if (isMembershipGone(error)) {
        ctx.logger.info("member roles gone from the tenant; removing from state", {
          organization_id: identity.organizationId,
          user_id: identity.userId,
        });
        return {
          newState: null,
          diagnostics: [
            opts?.importing
              ? warningDiag(
                  membershipGoneSummary(identity, error),
                  `${error.message} There are no member roles to import; add the user to the organization first, or fix the import id.`,
                )
              : warningDiag(
                  "Organization member no longer exists",
                  `${error.message} Terraform removes ${memberRolesId(identity.organizationId, identity.userId)} ` +
                    "from state and will plan to create it again.",
                ),
          ],
        };
      }
      return {
        newState: state,
        diagnostics: [failureDiagnostic("Could not read organization member roles", error)],
      };
    }
  }

  /**
   * The id follows from organization and user. A create, or the first plan after an import, warns
   * about the roles apply would revoke.
   */
  async modifyPlan(req: ModifyPlanRequest, ctx: ProviderContext<MemberRolesApi>): Promise<PlanModification> {
    const { planned } = req;
    const identity = knownIdentity(planned);
    const id: TfValue = identity ? memberRolesId(identity.organizationId, identity.userId) : UNKNOWN;
    // A plan with errors (validate reports them; the server layer runs it first) is not applied:
    // nothing to warn about, nor to read for.
    const refused = configDiagnostics(planned).some((d) => d.severity === "error");
    if (refused) return { planned: { ...planned, id }, diagnostics: [] };
    const held = req.prior === null || req.replacing ? [] : (knownRoles(req.prior.roles) ?? []);
    const granted = (knownRoles(planned.roles) ?? []).filter((r) => !held.includes(r));
    const unknown = await unknownRoleIds(
      ctx,
      granted.map((roleId) => ({ id: roleId, where: "roles", path: attributePath("roles") })),
    );
    const diagnostics = [...unknown, ...(await revocationWarnings(req, ctx))];
    return { planned: { ...planned, id }, diagnostics };
  }

  create(req: CreateRequest, ctx: ProviderContext<MemberRolesApi>): Promise<StateResult> {
    return this.converge(desiredState(req.planned), null, ctx);
  }

  update(req: UpdateRequest, ctx: ProviderContext<MemberRolesApi>): Promise<StateResult> {
    return this.converge(desiredState(req.planned), req.prior, ctx);
  }

  /**
   * Reads what the member holds now, then revokes and grants the difference. Reading first (unlike
   * the official provider, which diffs old and new state) means roles granted by hand since the
   * last refresh are revoked too, and roles already held are not posted again. The read is the
   * member's own endpoint, never the organization listing of bulk refresh: the listing may lag, and
   * a diff against a stale set would skip a needed revoke or grant.
   */
  private async converge(
    desired: MemberRolesState,
    priorState: TfObject | null,
    ctx: ProviderContext<MemberRolesApi>,
  ): Promise<StateResult> {
    const { organizationId, userId } = desired;
    const isCreate = priorState === null;
    const signal = ctx.signal();
    let api: MemberRolesApi;
    let current: string[];
    try {
      api = ctx.api();
      current = (await api.listMemberRoles(organizationId, userId, { signal })).map((r) => r.id);
    } catch (error) {
      // Nothing was changed: an update keeps the state it had, a create leaves none.
      return {
        newState: priorState,
        diagnostics: [failureDiagnostic("Could not read the member's current roles", error)],
      };
    }

    const steps = orderRoleChanges(current, diffRoles(current, desired.roles));
    ctx.logger.info("reconciling member roles", {
      organization_id: organizationId,
      user_id: userId,
      grant: steps.grant.join(","),
      revoke: [...steps.revokeFirst, ...steps.revokeAfter].join(","),
      revoke_first: steps.revokeFirst.length,
    });
    const needed = writeScopes({
      grant: steps.grant.length > 0,
      revoke: steps.revokeFirst.length + steps.revokeAfter.length > 0,
    });
    const lacking = await missingScopes(api, needed, signal);
    if (lacking) return { newState: priorState, diagnostics: [lacking] };
    let failedStep: keyof RoleChangeSteps = "revokeFirst";
    try {
      await api.removeMemberRoles(organizationId, userId, steps.revokeFirst, { signal });
      failedStep = "grant";
      await api.assignMemberRoles(organizationId, userId, steps.grant, { signal });
      failedStep = "revokeAfter";
      await api.removeMemberRoles(organizationId, userId, steps.revokeAfter, { signal });
    } catch (error) {
      const failure = failureDiagnostic("Could not update organization member roles", error);
      const diagnostic = {
        ...failure,
        detail: `${failure.detail} ${progressNote(steps, failedStep, error)}`,
      };
      if (isCreate) {
        // A state returned with an error on create makes Terraform taint the resource, and replacing a
        // tainted one revokes every role before granting them again. Returning nothing instead is safe:
        // the next apply creates it again, and creation reads the tenant first.
        return { newState: null, diagnostics: [diagnostic] };
      }
      const granted = failedStep === "revokeFirst" ? [] : steps.grant;
      const readBack = await this.readBack(desired, current, granted, ctx);
      return {
        newState: readBack.state,
        diagnostics: [
          readBack.note ? { ...diagnostic, detail: `${diagnostic.detail} ${readBack.note}` } : diagnostic,
        ],
      };
    }
    return { newState: toTfObject(desired), diagnostics: [] };
  }

  /**
   * After a failed write: what the tenant really holds, so that nothing is lost and the next plan
   * converges. A read that fails for a passing reason is tried again while the operation may go on.
   */
  private async readBack(
    desired: MemberRolesState,
    before: readonly string[],
    granted: readonly string[],
    ctx: ProviderContext<MemberRolesApi>,
  ): Promise<{ state: TfObject; note?: string }> {
    const signal = ctx.signal();
    let lastError: unknown;
    for (let attempt = 1; attempt <= READ_BACK_ATTEMPTS; attempt++) {
      try {
        const roles = await ctx.api().listMemberRoles(desired.organizationId, desired.userId, { signal });
        return { state: toTfObject({ ...desired, roles: roles.map((r) => r.id) }) };
      } catch (error) {
        lastError = error;
        if (attempt === READ_BACK_ATTEMPTS || signal.aborted || !mayPass(error)) break;
        try {
          await sleep(READ_BACK_PAUSE_MS * attempt, undefined, { signal });
        } catch {
          break;
        }
      }
    }
    // The tenant cannot be read either. Keep every role that may still be held (before + granted,
    // nothing revoked for sure): an extra role in state is revoked on the next apply, while a
    // missing one would be silently kept.
    ctx.logger.warn("could not read member roles back after a failed update", {
      error: errorText(lastError),
    });
    const possiblyHeld = sortRoles([...before, ...granted]);
    return {
      state: toTfObject({ ...desired, roles: possiblyHeld }),
      note:
        `Reading the member's roles back failed too (${errorText(lastError)}), so Terraform's state now ` +
        `lists every role the member may hold: the ${before.length} held before this apply plus the ` +
        `${granted.length} it tried to grant (${listIds(possiblyHeld)}). That can be more than the tenant ` +
        "holds, never less. The next `terraform plan` or `apply` reads the member's roles from Auth0 first " +
        "(unless run with -refresh=false) and replaces that list with the roles actually held, then plans " +
        "what is still missing or extra.",
    };
  }

  async delete(
    priorState: TfObject,
    ctx: ProviderContext<MemberRolesApi>,
  ): Promise<{ diagnostics: Diagnostic[] }> {
    const identity = knownIdentity(priorState);
    const roles = knownRoles(priorState.roles) ?? [];
    if (!identity) return { diagnostics: [] };
    const invalid = identityErrors(identity);
    if (invalid.length > 0) return { diagnostics: invalid };
    try {
      const api = ctx.api();
      const signal = ctx.signal();
      const lacking = await missingScopes(
        api,
        writeScopes({ grant: false, revoke: roles.length > 0 }),
        signal,
      );
      if (lacking) return { diagnostics: [lacking] };
      await api.removeMemberRoles(identity.organizationId, identity.userId, roles, { signal });
    } catch (error) {
      if (!isMembershipGone(error)) {
        return { diagnostics: [failureDiagnostic("Could not revoke organization member roles", error)] };
      }
      // Organization, user or membership already gone: the roles are revoked as far as Auth0 is concerned.
    }
    return { diagnostics: [] };
  }

  importState(id: string): ImportResult {
    const parsed = parseMemberRolesId(id);
    if (!parsed) {
      return {
        state: null,
        diagnostics: [
          errorDiag(
            "Invalid import id",
            `Import id ${JSON.stringify(id)} is not of the form organization_id::user_id, ` +
              'e.g. "org_0123456789abcdef::auth0|alice".',
          ),
        ],
      };
    }
    return importMember(parsed, { kind: "id", id });
  }
}

/** The import of one member, by id or by identity (`from` says which, in errors). */
function importMember(
  member: { organizationId: string; userId: string },
  from: { kind: "id"; id: string } | { kind: "identity" },
): ImportResult {
  const invalid = identityErrors(member);
  if (invalid.length > 0) {
    const what = from.kind === "id" ? `id ${JSON.stringify(truncate(from.id))}` : "identity";
    return {
      state: null,
      diagnostics: invalid.map((d) => ({
        ...d,
        summary: `Invalid import ${from.kind}`,
        detail: `Import ${what}: ${d.detail}`,
      })),
    };
  }
  // Roles are filled in by the ReadResource call that Terraform makes right after the import.
  return {
    state: {
      id: memberRolesId(member.organizationId, member.userId),
      organization_id: member.organizationId,
      user_id: member.userId,
      roles: null,
    },
    diagnostics: [],
  };
}

/** The server layer applies only plans whose configured values are all known. */
function desiredState(planned: TfObject): MemberRolesState {
  const identity = knownIdentity(planned);
  const roles = knownRoles(planned.roles);
  if (!identity || roles === undefined)
    throw new Error("organization_id, user_id and roles must be known to apply.");
  return { ...identity, roles };
}
