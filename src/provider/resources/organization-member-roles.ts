import type { Role } from "../../management";
import { diffRoles, type Finding, validateMemberRoles } from "../../roles";
import { failureDiagnostic, isMembershipGone } from "../api-diagnostics";
import type {
  CreateRequest,
  ImportResult,
  ModifyPlanRequest,
  PlanModification,
  ProviderContext,
  Resource,
  StateResult,
  UpdateRequest,
} from "../framework";
import { MEMBER_ROLES_RESOURCE } from "../identity";
import { attributePath, type Diagnostic, errorDiag, warningDiag } from "../protocol/diagnostics";
import { type TfObject, type TfValue, UNKNOWN } from "../protocol/values";
import { memberRolesSchema } from "../schema";
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
import { officialProviderMovers } from "./official-provider";
import { revocationWarnings } from "./revocation-warnings";

/** The calls this resource makes; MemberRolesService provides them over the Management API client. */
export interface MemberRolesApi {
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
  /** For a plan: roles held now that `desired` lacks; may be answered from the organization's listing. */
  heldBeyond(
    orgId: string,
    userId: string,
    desired: readonly string[] | undefined,
    opts?: { signal?: AbortSignal },
  ): Promise<string[]>;
  /** Every role of the tenant, for names in warnings. */
  listRoles(opts?: { signal?: AbortSignal }): Promise<Role[]>;
}

function findingsToDiagnostics(findings: readonly Finding[]): Diagnostic[] {
  return findings.map((f) =>
    f.severity === "error"
      ? errorDiag(`Invalid ${f.field}`, f.message, attributePath(f.field))
      : warningDiag(`Check ${f.field}`, f.message, attributePath(f.field)),
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

  validate(config: TfObject): Diagnostic[] {
    return findingsToDiagnostics(validateMemberRoles(validationInput(config)));
  }

  async read(state: TfObject, ctx: ProviderContext<MemberRolesApi>): Promise<StateResult> {
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
            warningDiag(
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
   * The id follows from organization and user; `roles` must be a set (Terraform lets `null` through).
   * A create, or the first plan after an import, warns about the roles apply would revoke.
   */
  async modifyPlan(req: ModifyPlanRequest, ctx: ProviderContext<MemberRolesApi>): Promise<PlanModification> {
    const { planned } = req;
    const identity = knownIdentity(planned);
    const id: TfValue = identity ? memberRolesId(identity.organizationId, identity.userId) : UNKNOWN;
    const diagnostics: Diagnostic[] = [];
    if (planned.roles === null) {
      diagnostics.push(
        errorDiag(
          "Invalid roles",
          "roles must be a set of role ids; use [] for a member who holds no roles.",
          attributePath("roles"),
        ),
      );
    }
    // A plan with errors is not applied: nothing to warn about, nor to read for.
    if (diagnostics.length === 0) diagnostics.push(...(await revocationWarnings(req, ctx)));
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

    const { revoke, grant } = diffRoles(current, desired.roles);
    ctx.logger.info("reconciling member roles", {
      organization_id: organizationId,
      user_id: userId,
      revoke: revoke.join(","),
      grant: grant.join(","),
    });
    try {
      // Revoke first: it frees room under Auth0's 50-role cap for the grants.
      await api.removeMemberRoles(organizationId, userId, revoke, { signal });
      await api.assignMemberRoles(organizationId, userId, grant, { signal });
    } catch (error) {
      const diagnostic = failureDiagnostic("Could not update organization member roles", error);
      if (isCreate) {
        // A state returned with an error on create makes Terraform taint the resource, and replacing a
        // tainted one revokes every role before granting them again. Returning nothing instead is safe:
        // the next apply creates it again, and creation reads the tenant first.
        return { newState: null, diagnostics: [diagnostic] };
      }
      return { newState: await this.readBack(desired, current, grant, ctx), diagnostics: [diagnostic] };
    }
    return { newState: toTfObject(desired), diagnostics: [] };
  }

  /** After a partial failure: what the tenant really holds, so that nothing is lost and the next plan converges. */
  private async readBack(
    desired: MemberRolesState,
    before: readonly string[],
    grant: readonly string[],
    ctx: ProviderContext<MemberRolesApi>,
  ): Promise<TfObject> {
    try {
      const roles = await ctx
        .api()
        .listMemberRoles(desired.organizationId, desired.userId, { signal: ctx.signal() });
      return toTfObject({ ...desired, roles: roles.map((r) => r.id) });
    } catch (error) {
      // The tenant cannot be read either. Keep every role that may still be held (before + grant,
      // nothing revoked for sure): an extra role in state is revoked on the next apply, while a
      // missing one would be silently kept.
      ctx.logger.warn("could not read member roles back after a failed update", {
        error: error instanceof Error ? error.message : String(error),
      });
      const possiblyHeld = new Set([...before, ...grant]);
      return toTfObject({ ...desired, roles: sortRoles(possiblyHeld) });
    }
  }

  async delete(
    priorState: TfObject,
    ctx: ProviderContext<MemberRolesApi>,
  ): Promise<{ diagnostics: Diagnostic[] }> {
    const identity = knownIdentity(priorState);
    const roles = knownRoles(priorState.roles) ?? [];
    if (!identity) return { diagnostics: [] };
    try {
      await ctx
        .api()
        .removeMemberRoles(identity.organizationId, identity.userId, roles, { signal: ctx.signal() });
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
    // Roles are filled in by the ReadResource call that Terraform makes right after the import.
    return {
      state: {
        id: memberRolesId(parsed.organizationId, parsed.userId),
        organization_id: parsed.organizationId,
        user_id: parsed.userId,
        roles: null,
      },
      diagnostics: [],
    };
  }
}

/** The server layer applies only plans whose configured values are all known. */
function desiredState(planned: TfObject): MemberRolesState {
  const identity = knownIdentity(planned);
  const roles = knownRoles(planned.roles);
  if (!identity || roles === undefined)
    throw new Error("organization_id, user_id and roles must be known to apply.");
  return { ...identity, roles };
}
