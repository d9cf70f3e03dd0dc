import { ManagementApiError } from "../../management/errors";
import {
  type MemberChange,
  type MemberRolesMap,
  membersToChange,
  validateOrganizationRoles,
} from "../../roles";
import { failureDiagnostic } from "../api-diagnostics";
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
import { attributePath, type Diagnostic, errorDiag, errorText, warningDiag } from "../protocol/diagnostics";
import { type TfObject, type TfValue, UNKNOWN } from "../protocol/values";
import { ORGANIZATION_ROLES_RESOURCE } from "../startup/provider-names";
import { findingsToDiagnostics, memberClaim, membersPath } from "./finding-diagnostics";
import { knownRoles } from "./member-roles-state";
import {
  createPlanDiagnostics,
  type DeclaredMembers,
  uncounted,
  undeclared,
} from "./organization-plan-reads";
import {
  countMembers,
  failureDiagnostics,
  MAX_MEMBER_DIAGNOSTICS,
  names,
  withPath,
} from "./organization-roles-diagnostics";
import { organizationRolesList } from "./organization-roles-list";
import { organizationRolesIdentitySchema, organizationRolesSchema } from "./organization-roles-schema";
import {
  EXCLUSIVE_DEFAULT,
  type OrganizationRolesState,
  organizationOnlyObject,
  type PlannedOrganization,
  parseOrganizationRoles,
  planned,
  recordPartial,
  toOrganizationRolesObject,
} from "./organization-roles-state";
import {
  applyChanges,
  confirmMembers,
  forEachLimited,
  MEMBER_CONCURRENCY,
  type OrganizationRolesApi,
  revokeAll,
  rolesHeld,
} from "./organization-sync";
import { planChecksOf, planReadFailure } from "./revocation-warnings";
import { type GrantedRole, unknownRoleIds } from "./role-ids";
import { mayWriteAll, missingScopes, writeScopes } from "./write-scopes";

/**
 * Whether the changes grant and whether they revoke, from what the plan knew each member holds; a
 * member it did not know (a create that read no listing) is read first. Checked against the token's
 * scopes before the first write.
 */
async function neededWrites(
  api: OrganizationRolesApi,
  target: PlannedOrganization,
  changes: readonly MemberChange[],
  signal: AbortSignal,
): Promise<{ grant: boolean; revoke: boolean }> {
  const held = new Map<string, readonly string[]>();
  const unknown = changes.filter((c) => c.believed === undefined);
  let failure: unknown;
  await forEachLimited(
    unknown,
    MEMBER_CONCURRENCY,
    async (c) => {
      try {
        held.set(c.userId, await rolesHeld(api, target.organizationId, c.userId, signal));
      } catch (error) {
        failure ??= error;
      }
    },
    () => failure !== undefined,
  );
  if (failure !== undefined) throw failure;
  const before = (c: MemberChange) => c.believed ?? held.get(c.userId) ?? [];
  return {
    grant: changes.some((c) => c.desired.some((r) => !before(c).includes(r))),
    revoke: changes.some((c) => before(c).some((r) => !c.desired.includes(r))),
  };
}

/**
 * Without exclusive, an organization listing is read for a refresh only when the state holds more than
 * this many members: below it, one call per member costs no more than the listing's pages.
 */
const LISTING_WORTH_FROM = 4;

/** The members of a configuration (or plan) as far as they are known; single unknown role sets stay undefined. */
function configuredMembers(
  value: TfValue | undefined,
): Map<string, readonly string[] | undefined> | undefined {
  if (
    value === null ||
    value === undefined ||
    value === UNKNOWN ||
    typeof value !== "object" ||
    Array.isArray(value)
  )
    return undefined;
  return new Map(Object.entries(value).map(([userId, roles]) => [userId, knownRoles(roles)]));
}

/** The role ids a plan grants, per declared member: those its prior state does not hold already. */
function grantedRoles(
  declared: DeclaredMembers | undefined,
  before: OrganizationRolesState | undefined,
): GrantedRole[] {
  return [...(declared ?? [])].flatMap(([userId, roles]) => {
    const held = before?.members?.get(userId) ?? [];
    return (roles ?? [])
      .filter((r) => !held.includes(r))
      .map((id) => ({ id, where: `members[${JSON.stringify(userId)}]`, path: membersPath(userId) }));
  });
}

/**
 * `auth0roles_organization_roles`: the roles of the members of one organization, authoritative for
 * the whole organization when `exclusive` (the default): every member not in `members` holds no
 * roles, like GCP's `*_iam_policy` next to the additive per-member resource.
 *
 * State: `members` as declared (after a refresh, what the tenant holds for them) and, with
 * `exclusive`, `undeclared_members`: the other members found holding roles, which apply revokes. A
 * plan shows that attribute going to `{}` member by member, and warns with their number.
 */
export class OrganizationRolesResource implements Resource<OrganizationRolesApi> {
  readonly typeName = ORGANIZATION_ROLES_RESOURCE;
  readonly schema = organizationRolesSchema;
  readonly list = organizationRolesList;
  readonly identity: ResourceIdentity = {
    schema: organizationRolesIdentitySchema,
    importState: (identity) => importOrganization(String(identity.organization_id ?? ""), "identity"),
  };

  validate(config: TfObject): Diagnostic[] {
    const org = config.organization_id;
    const members = configuredMembers(config.members);
    return findingsToDiagnostics(
      validateOrganizationRoles({
        ...(typeof org === "string" ? { organizationId: org } : {}),
        ...(members === undefined ? {} : { members }),
      }),
    );
  }

  /**
   * Each listed member and, with exclusive, every member of the organization: any other resource for
   * them would undo what this one applies.
   */
  claims(config: TfObject): Claim[] {
    const org = config.organization_id;
    const members = configuredMembers(config.members);
    if (typeof org !== "string") return [];
    const claims = [...(members?.keys() ?? [])].map((u) => memberClaim(org, u, membersPath(u)));
    const exclusive = config.exclusive ?? EXCLUSIVE_DEFAULT;
    if (exclusive === true) {
      claims.push({
        group: org,
        item: undefined,
        what: `every member of ${org} (exclusive)`,
        path: attributePath("organization_id"),
      });
    }
    return claims;
  }

  async read(
    state: TfObject,
    ctx: ProviderContext<OrganizationRolesApi>,
    opts?: { importing: boolean },
  ): Promise<StateResult> {
    const stored = parseOrganizationRoles(state);
    if (!stored) {
      return {
        newState: null,
        diagnostics: [
          errorDiag(
            "Stored state lacks organization_id",
            "Remove the resource from state (`terraform state rm ADDRESS`) and import it again with the organization id.",
          ),
        ],
      };
    }
    try {
      return { newState: await this.refresh(stored, ctx), diagnostics: [] };
    } catch (error) {
      if (error instanceof ManagementApiError && error.reason === "organization_not_found") {
        return {
          newState: null,
          diagnostics: [
            opts?.importing
              ? warningDiag(
                  `Organization ${stored.organizationId} does not exist`,
                  `${error.message} There is nothing to import; fix the import id (the organization's id).`,
                )
              : warningDiag(
                  "Organization no longer exists",
                  `${error.message} Terraform removes the roles of organization ${stored.organizationId} from state and will plan to create them again.`,
                ),
          ],
        };
      }
      return {
        newState: state,
        diagnostics: [failureDiagnostic("Could not read the organization's member roles", error)],
      };
    }
  }

  /** The listing, confirmed member by member where it disagrees with the state (see checkListing). */
  private async refresh(stored: OrganizationRolesState, ctx: ProviderContext<OrganizationRolesApi>) {
    const { organizationId, exclusive } = stored;
    const api = ctx.api();
    const signal = ctx.signal();
    if (stored.members === undefined) {
      // Just imported, nothing in state to confirm: every member the tenant lists holding roles is adopted.
      const listed = (await this.listing(api, organizationId, "all", signal, ctx)) ?? new Map();
      const members = new Map([...listed].filter(([, roles]) => roles.length > 0));
      return toOrganizationRolesObject({ organizationId, members, exclusive, undeclared: new Map() });
    }
    const declared = stored.members;
    const listed = await this.listing(api, organizationId, exclusive ? "all" : declared.size, signal, ctx);
    const { roles, confirmedOnTheirOwn } = await confirmMembers(
      api,
      { orgId: organizationId, declared, undeclared: stored.undeclared ?? new Map(), exclusive, listed },
      signal,
    );
    ctx.logger.debug("refreshed organization roles", {
      organization_id: organizationId,
      listed: listed?.size ?? "not listed",
      read_on_their_own: confirmedOnTheirOwn,
    });
    const members = new Map([...declared.keys()].map((u) => [u, roles.get(u) ?? []]));
    const undeclared = new Map([...roles].filter(([u, r]) => !declared.has(u) && r.length > 0));
    return toOrganizationRolesObject({ organizationId, members, exclusive, undeclared });
  }

  /**
   * The organization's listing. For "all" members (exclusive, or just imported) it is required and read
   * to the end. For a number of managed members it is only worth reading past a few of them, and it is
   * abandoned once it has cost as many pages as reading each member would; a failed or abandoned
   * listing is undefined, and the caller reads each member on its own.
   */
  private async listing(
    api: OrganizationRolesApi,
    orgId: string,
    managed: number | "all",
    signal: AbortSignal,
    ctx: ProviderContext<OrganizationRolesApi>,
  ): Promise<Map<string, string[]> | undefined> {
    if (managed === "all") return api.listOrganizationMemberRoles(orgId, { signal });
    if (managed <= LISTING_WORTH_FROM) return undefined;
    try {
      return await api.listOrganizationMemberRoles(orgId, {
        signal,
        shouldContinue: (pages) => pages < managed,
      });
    } catch (error) {
      if (error instanceof ManagementApiError && error.reason === "organization_not_found") throw error;
      ctx.logger.debug("not using the organization's member listing; reading each member instead", {
        organization_id: orgId,
        error: errorText(error),
      });
      return undefined;
    }
  }

  create(req: CreateRequest, ctx: ProviderContext<OrganizationRolesApi>): Promise<StateResult> {
    return this.converge(planned(req.planned), undefined, ctx);
  }

  update(req: UpdateRequest, ctx: ProviderContext<OrganizationRolesApi>): Promise<StateResult> {
    const prior = parseOrganizationRoles(req.prior);
    return this.converge(planned(req.planned), prior && { stored: prior, object: req.prior }, ctx);
  }

  /** Changes every member whose roles differ from the plan; see membersToChange and applyChanges. */
  private async converge(
    target: PlannedOrganization,
    prior: { stored: OrganizationRolesState; object: TfObject } | undefined,
    ctx: ProviderContext<OrganizationRolesApi>,
  ): Promise<StateResult> {
    const signal = ctx.signal();
    const declared = prior?.stored.members ?? new Map<string, readonly string[]>();
    let api: OrganizationRolesApi;
    let known: MemberRolesMap;
    try {
      api = ctx.api();
      known = await this.knownRoles(api, target, prior?.stored, signal, ctx);
    } catch (error) {
      return {
        newState: prior?.object ?? null,
        diagnostics: [failureDiagnostic("Could not read the organization's members", error)],
      };
    }
    const changes = membersToChange({
      desired: target.members,
      known,
      previouslyDeclared: new Set(declared.keys()),
      exclusive: target.exclusive,
    });
    let lacking: Diagnostic | undefined;
    try {
      // The members whose roles the plan did not know are read first only when a scope may be missing.
      lacking = (await mayWriteAll(api, signal))
        ? undefined
        : await missingScopes(api, writeScopes(await neededWrites(api, target, changes, signal)), signal);
    } catch (error) {
      return {
        newState: prior?.object ?? null,
        diagnostics: [failureDiagnostic("Could not read the organization's members", error)],
      };
    }
    if (lacking) return { newState: prior?.object ?? null, diagnostics: [lacking] };
    const { outcomes, notStarted } = await applyChanges(api, target.organizationId, changes, signal);
    const diagnostics = failureDiagnostics(outcomes, notStarted);
    if (diagnostics.length === 0) {
      return { newState: toOrganizationRolesObject({ ...target, undeclared: new Map() }), diagnostics };
    }
    // A state returned with an error on create makes Terraform taint the resource, and replacing it
    // would revoke every declared role before granting them again. Returning none is safe: the next
    // apply creates it again and reads the tenant first, so it picks up where this one stopped.
    if (!prior) return { newState: null, diagnostics };
    return { newState: recordPartial(target, outcomes, notStarted), diagnostics };
  }

  /**
   * What each member holds as far as the plan knew: the refreshed prior state, and the organization's
   * listing where that refresh did not look (a create; exclusive just turned on).
   */
  private async knownRoles(
    api: OrganizationRolesApi,
    target: PlannedOrganization,
    prior: OrganizationRolesState | undefined,
    signal: AbortSignal,
    ctx: ProviderContext<OrganizationRolesApi>,
  ): Promise<MemberRolesMap> {
    const declared = prior?.members ?? new Map<string, readonly string[]>();
    if (prior && (!target.exclusive || prior.undeclared !== undefined)) {
      return new Map([...(prior.undeclared ?? []), ...declared]);
    }
    const managed = target.exclusive ? "all" : target.members.size;
    const listed = await this.listing(api, target.organizationId, managed, signal, ctx);
    return new Map([...(listed ?? []), ...declared]);
  }

  async delete(
    prior: TfObject,
    ctx: ProviderContext<OrganizationRolesApi>,
  ): Promise<{ diagnostics: Diagnostic[] }> {
    const stored = parseOrganizationRoles(prior);
    if (!stored?.members) return { diagnostics: [] };
    try {
      // Only the declared members: destroying ends the enforcement of exclusive, it does not apply it
      // once more to members Terraform never managed (undeclared_members are left as they are).
      const api = ctx.api();
      const signal = ctx.signal();
      const holding = [...stored.members.values()].some((roles) => roles.length > 0);
      const lacking = await missingScopes(api, writeScopes({ grant: false, revoke: holding }), signal);
      if (lacking) return { diagnostics: [lacking] };
      const { failures, notStarted } = await revokeAll(api, stored.organizationId, stored.members, signal);
      const diagnostics = failures
        .slice(0, MAX_MEMBER_DIAGNOSTICS)
        .map((f) =>
          withPath(
            failureDiagnostic(`Could not revoke the roles of ${JSON.stringify(f.userId)}`, f.error, false),
            f.userId,
          ),
        );
      // Any error keeps the whole state: destroy again revokes what is left (revoking twice is harmless).
      if (notStarted > 0 || failures.length > MAX_MEMBER_DIAGNOSTICS) {
        diagnostics.push(
          errorDiag(
            "Organization roles only partly destroyed",
            `${countMembers(failures.length)} failed and ${countMembers(notStarted)} were not started. Run destroy again once the cause is fixed.`,
          ),
        );
      }
      return { diagnostics };
    } catch (error) {
      return { diagnostics: [failureDiagnostic("Could not revoke the organization's member roles", error)] };
    }
  }

  importState(id: string): ImportResult {
    return importOrganization(id, "id");
  }

  async modifyPlan(
    req: ModifyPlanRequest,
    ctx: ProviderContext<OrganizationRolesApi>,
  ): Promise<PlanModification> {
    const { planned: proposed, prior, config } = req;
    const org = proposed.organization_id;
    const configured = config?.exclusive ?? null;
    const exclusive: TfValue =
      typeof configured === "boolean" ? configured : configured === null ? EXCLUSIVE_DEFAULT : UNKNOWN;
    const planned: TfObject = {
      ...proposed,
      id: typeof org === "string" ? org : UNKNOWN,
      exclusive,
      // Apply revokes every other member's roles: the plan shows those found by the refresh going away.
      undeclared_members: exclusive === true ? {} : exclusive === false ? null : UNKNOWN,
    };
    const diagnostics: Diagnostic[] = [];
    const before = prior ? parseOrganizationRoles(prior) : undefined;
    const creating = prior === null || req.replacing;
    const declared = configuredMembers(proposed.members);
    diagnostics.push(...(await unknownRoleIds(ctx, grantedRoles(declared, creating ? undefined : before))));
    if (creating && typeof org === "string" && declared !== undefined) {
      diagnostics.push(...(await this.createPlanReads(org, declared, exclusive === true, ctx)));
    } else if (exclusive === true && typeof org === "string") {
      const warning =
        before?.undeclared !== undefined && before.organizationId === org
          ? await undeclared(ctx.api(), org, declared ?? new Map(), before.undeclared, ctx.signal())
          : await this.countUndeclared(org, declared, ctx);
      if (warning) diagnostics.push(warning);
    }
    if (req.imported && exclusive === false && before?.members) {
      const outside = [...before.members.keys()].filter((u) => !declared?.has(u));
      if (outside.length > 0) {
        diagnostics.push(
          warningDiag(
            "Imported members not in members",
            `The import adopted every member of ${before.organizationId} holding roles, so the plan shows ${countMembers(outside.length)} not in members (${names(outside)}) leaving members, and apply revokes their roles. Add them to members to keep their roles.`,
            attributePath("members"),
          ),
        );
      }
    }
    return { planned, diagnostics };
  }

  /** A create: what apply revokes of each declared member and, with exclusive, of the others (see createPlanDiagnostics). */
  private async createPlanReads(
    organizationId: string,
    members: DeclaredMembers,
    exclusive: boolean,
    ctx: ProviderContext<OrganizationRolesApi>,
  ): Promise<Diagnostic[]> {
    try {
      return await createPlanDiagnostics(
        ctx.api(),
        { organizationId, members, exclusive, listingWorthFrom: LISTING_WORTH_FROM },
        ctx.signal(),
      );
    } catch (error) {
      const checks = planChecksOf(ctx);
      return [planReadFailure({ organizationId }, error, attributePath("organization_id"), checks)];
    }
  }

  /**
   * Exclusive just turned on: the refresh did not look for other members holding roles, so
   * the plan reads the organization's listing to say how many apply will strip. Only a warning: the
   * listing may lag, and apply reads again.
   */
  private async countUndeclared(
    org: string,
    members: DeclaredMembers | undefined,
    ctx: ProviderContext<OrganizationRolesApi>,
  ): Promise<Diagnostic | undefined> {
    try {
      const api = ctx.api();
      const signal = ctx.signal();
      const listed = await api.listOrganizationMemberRoles(org, { signal });
      return await undeclared(api, org, members ?? new Map(), listed, signal);
    } catch (error) {
      return uncounted(org, error);
    }
  }
}

/** The import of one organization's roles, by id or by identity (`from` says which, in errors). */
function importOrganization(id: string, from: "id" | "identity"): ImportResult {
  const organizationId = id.trim();
  const idError = validateOrganizationRoles({ organizationId }).find((f) => f.severity === "error");
  if (idError !== undefined || organizationId.includes("::")) {
    const why = idError ? ` ${idError.message}` : "";
    const what =
      from === "id"
        ? `Import id ${JSON.stringify(id)}`
        : `Import identity: organization_id ${JSON.stringify(id)}`;
    return {
      state: null,
      diagnostics: [
        errorDiag(
          `Invalid import ${from}`,
          `${what} is not an organization id.${why} Import ${ORGANIZATION_ROLES_RESOURCE} with the organization's id alone, e.g. "org_0123456789abcdef".`,
        ),
      ],
    };
  }
  // Filled in by the ReadResource call that Terraform makes right after the import.
  return { state: organizationOnlyObject(organizationId), diagnostics: [] };
}
