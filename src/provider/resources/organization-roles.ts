import { ManagementApiError } from "../../management";
import {
  type MemberChange,
  type MemberRolesMap,
  membersToChange,
  type OrganizationFinding,
  validateOrganizationRoles,
} from "../../roles";
import { failureDiagnostic } from "../api-diagnostics";
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
import { ORGANIZATION_ROLES_RESOURCE } from "../identity";
import {
  type AttributePath,
  attributePath,
  type Diagnostic,
  errorDiag,
  warningDiag,
} from "../protocol/diagnostics";
import { type TfObject, type TfValue, UNKNOWN } from "../protocol/values";
import { knownRoles } from "./member-roles-state";
import { organizationRolesSchema } from "./organization-roles-schema";
import {
  EXCLUSIVE_DEFAULT,
  knownMemberMap,
  parseOrganizationRoles,
  toOrganizationRolesObject,
} from "./organization-roles-state";
import {
  applyChanges,
  type ChangeOutcome,
  confirmMembers,
  type OrganizationRolesApi,
  revokeAll,
} from "./organization-sync";

/** Diagnostics about single members past this many are summed up in one, so a broken run stays readable. */
const MAX_MEMBER_DIAGNOSTICS = 10;
/** Members named in a plan warning; the rest are counted. */
const NAMED_IN_WARNING = 10;
/**
 * Without exclusive, an organization listing is read for a refresh only when the state holds more than
 * this many members: below it, one call per member costs no more than the listing's pages.
 */
const LISTING_WORTH_FROM = 4;

function membersPath(userId: string): AttributePath {
  return [{ attribute: "members" }, { key: userId }];
}

function findingsToDiagnostics(findings: readonly OrganizationFinding[]): Diagnostic[] {
  return findings.map((f) => {
    const path = f.member === undefined ? attributePath(f.field) : membersPath(f.member);
    const summary = f.field === "members" ? "members" : f.field;
    return f.severity === "error"
      ? errorDiag(`Invalid ${summary}`, f.message, path)
      : warningDiag(`Check ${summary}`, f.message, path);
  });
}

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

function names(userIds: readonly string[]): string {
  const shown = userIds.slice(0, NAMED_IN_WARNING).map((u) => JSON.stringify(u));
  const more = userIds.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}

function countMembers(n: number): string {
  return n === 1 ? "1 member" : `${n} members`;
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

  async read(state: TfObject, ctx: ProviderContext<OrganizationRolesApi>): Promise<StateResult> {
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
    const { organizationId, exclusive } = stored;
    const signal = ctx.signal();
    try {
      const api = ctx.api();
      const imported = stored.members === undefined;
      const declared = stored.members ?? new Map();
      const mustList = exclusive || imported;
      const listed =
        mustList || declared.size > LISTING_WORTH_FROM
          ? await this.listing(api, organizationId, mustList ? undefined : declared.size, signal, ctx)
          : undefined;
      if (imported) {
        // Nothing in state to confirm: adopt what the tenant lists, every member holding roles declared.
        const members = new Map([...(listed ?? [])].filter(([, roles]) => roles.length > 0));
        return {
          newState: toOrganizationRolesObject({ organizationId, members, exclusive, undeclared: new Map() }),
          diagnostics: [],
        };
      }
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
      return {
        newState: toOrganizationRolesObject({ organizationId, members, exclusive, undeclared }),
        diagnostics: [],
      };
    } catch (error) {
      if (error instanceof ManagementApiError && error.reason === "organization_not_found") {
        return {
          newState: null,
          diagnostics: [
            warningDiag(
              "Organization no longer exists",
              `${error.message} Terraform removes the roles of organization ${organizationId} from state and will plan to create them again.`,
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

  /**
   * The organization's listing. Without `cap` (exclusive, or just imported) it is required and read to
   * the end. With `cap` (the state's members, without exclusive) it is abandoned once it has cost as
   * many pages as reading each member would, and a failed listing falls back to per-member reads:
   * undefined.
   */
  private async listing(
    api: OrganizationRolesApi,
    orgId: string,
    cap: number | undefined,
    signal: AbortSignal,
    ctx: ProviderContext<OrganizationRolesApi>,
  ): Promise<Map<string, string[]> | undefined> {
    if (cap === undefined) return api.listOrganizationMemberRoles(orgId, { signal });
    try {
      return await api.listOrganizationMemberRoles(orgId, { signal, shouldContinue: (pages) => pages < cap });
    } catch (error) {
      if (error instanceof ManagementApiError && error.reason === "organization_not_found") throw error;
      ctx.logger.debug("not using the organization's member listing; reading each member instead", {
        organization_id: orgId,
        error: error instanceof Error ? error.message : String(error),
      });
      return undefined;
    }
  }

  async create(req: CreateRequest, ctx: ProviderContext<OrganizationRolesApi>): Promise<StateResult> {
    const target = planned(req.planned);
    const signal = ctx.signal();
    let api: OrganizationRolesApi;
    let listed: Map<string, string[]>;
    try {
      api = ctx.api();
      listed = await api.listOrganizationMemberRoles(target.organizationId, { signal });
    } catch (error) {
      return {
        newState: null,
        diagnostics: [failureDiagnostic("Could not read the organization's members", error)],
      };
    }
    const changes = membersToChange({
      desired: target.members,
      known: listed,
      previouslyDeclared: new Set(),
      exclusive: target.exclusive,
    });
    const { outcomes, notStarted } = await applyChanges(api, target.organizationId, changes, signal);
    const diagnostics = failureDiagnostics(outcomes, notStarted);
    // A state returned with an error on create makes Terraform taint the resource, and replacing it
    // would revoke every declared role before granting them again. Returning none is safe: the next
    // apply creates it again and reads the tenant first, so it picks up where this one stopped.
    if (diagnostics.length > 0) return { newState: null, diagnostics };
    return { newState: toOrganizationRolesObject({ ...target, undeclared: new Map() }), diagnostics: [] };
  }

  async update(req: UpdateRequest, ctx: ProviderContext<OrganizationRolesApi>): Promise<StateResult> {
    const target = planned(req.planned);
    const prior = parseOrganizationRoles(req.prior);
    const signal = ctx.signal();
    const declared = prior?.members ?? new Map<string, readonly string[]>();
    let api: OrganizationRolesApi;
    let known: Map<string, readonly string[]>;
    try {
      api = ctx.api();
      known = new Map([...(prior?.undeclared ?? []), ...declared]);
      if (target.exclusive && prior?.undeclared === undefined) {
        // Exclusive was just turned on: the refresh did not look for other members holding roles.
        const listed = await api.listOrganizationMemberRoles(target.organizationId, { signal });
        known = new Map([...listed, ...declared]);
      }
    } catch (error) {
      return {
        newState: req.prior,
        diagnostics: [failureDiagnostic("Could not read the organization's members", error)],
      };
    }
    const changes = membersToChange({
      desired: target.members,
      known,
      previouslyDeclared: new Set(declared.keys()),
      exclusive: target.exclusive,
    });
    const { outcomes, notStarted } = await applyChanges(api, target.organizationId, changes, signal);
    const diagnostics = failureDiagnostics(outcomes, notStarted);
    if (diagnostics.length === 0) {
      return { newState: toOrganizationRolesObject({ ...target, undeclared: new Map() }), diagnostics };
    }
    return { newState: recordPartial(target, outcomes, notStarted), diagnostics };
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
      const { failures } = await revokeAll(ctx.api(), stored.organizationId, stored.members, ctx.signal());
      return {
        diagnostics: failures
          .slice(0, MAX_MEMBER_DIAGNOSTICS)
          .map((f) =>
            withPath(
              failureDiagnostic(`Could not revoke the roles of ${JSON.stringify(f.userId)}`, f.error, false),
              f.userId,
            ),
          ),
      };
    } catch (error) {
      return { diagnostics: [failureDiagnostic("Could not revoke the organization's member roles", error)] };
    }
  }

  importState(id: string): ImportResult {
    const organizationId = id.trim();
    if (organizationId === "" || organizationId.includes("::")) {
      return {
        state: null,
        diagnostics: [
          errorDiag(
            "Invalid import id",
            `Import id ${JSON.stringify(id)} is not an organization id. Import ${ORGANIZATION_ROLES_RESOURCE} with the organization's id alone, e.g. "org_0123456789abcdef".`,
          ),
        ],
      };
    }
    // Filled in by the ReadResource call that Terraform makes right after the import.
    return {
      state: {
        id: organizationId,
        organization_id: organizationId,
        members: null,
        exclusive: null,
        undeclared_members: null,
      },
      diagnostics: [],
    };
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
    if (exclusive === true && typeof org === "string") {
      const warning =
        before?.undeclared !== undefined && before.organizationId === org
          ? undeclaredWarning(org, [...before.undeclared.keys()])
          : await this.countUndeclared(org, knownMemberMap(proposed.members), ctx);
      if (warning) diagnostics.push(warning);
    }
    if (req.imported && exclusive === false && before?.members) {
      const outside = [...before.members.keys()].filter((u) => !knownMemberMap(proposed.members)?.has(u));
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

  /**
   * A create, or exclusive just turned on: the refresh did not look for other members holding roles, so
   * the plan reads the organization's listing to say how many apply will strip. Only a warning: the
   * listing may lag, and apply reads again.
   */
  private async countUndeclared(
    org: string,
    members: MemberRolesMap | undefined,
    ctx: ProviderContext<OrganizationRolesApi>,
  ): Promise<Diagnostic | undefined> {
    try {
      const listed = await ctx.api().listOrganizationMemberRoles(org, { signal: ctx.signal() });
      const holding = [...listed]
        .filter(([u, roles]) => roles.length > 0 && !members?.has(u))
        .map(([u]) => u);
      return undeclaredWarning(org, holding.sort());
    } catch (error) {
      return warningDiag(
        "Exclusive: other members' roles will be revoked",
        `Apply revokes the roles of every member of ${org} not in members. They could not be counted now: ${
          error instanceof Error ? error.message : String(error)
        }`,
        attributePath("exclusive"),
      );
    }
  }
}

function undeclaredWarning(org: string, userIds: readonly string[]): Diagnostic | undefined {
  if (userIds.length === 0) return undefined;
  return warningDiag(
    `Exclusive: ${countMembers(userIds.length)} not in members will lose all their roles`,
    `exclusive = true: apply revokes every role of the members of ${org} that are not in members: ${names(userIds)}. ` +
      "To keep a member's roles, add the member to members; to manage only the listed members, set exclusive = false.",
    attributePath("exclusive"),
  );
}

/** The planned object's values; the server layer has checked they are known. */
function planned(obj: TfObject): {
  organizationId: string;
  members: Map<string, string[]>;
  exclusive: boolean;
} {
  return {
    organizationId: String(obj.organization_id),
    members: knownMemberMap(obj.members) ?? new Map(),
    exclusive: typeof obj.exclusive === "boolean" ? obj.exclusive : EXCLUSIVE_DEFAULT,
  };
}

function withPath(diagnostic: Diagnostic, userId: string): Diagnostic {
  return { ...diagnostic, attribute: membersPath(userId) };
}

function failureDiagnostics(
  outcomes: readonly ChangeOutcome[],
  notStarted: readonly MemberChange[],
): Diagnostic[] {
  const failed = outcomes.filter((o): o is Extract<ChangeOutcome, { ok: false }> => !o.ok);
  const diagnostics = failed.slice(0, MAX_MEMBER_DIAGNOSTICS).map((o) => {
    const d = failureDiagnostic(
      `Could not update the roles of ${JSON.stringify(o.change.userId)}`,
      o.error,
      false,
    );
    return o.change.kind === "undeclared" ? d : withPath(d, o.change.userId);
  });
  if (failed.length > MAX_MEMBER_DIAGNOSTICS || notStarted.length > 0) {
    diagnostics.push(
      errorDiag(
        "Organization roles only partly applied",
        `${countMembers(failed.length)} failed${
          notStarted.length > 0 ? ` and ${countMembers(notStarted.length)} were not started after that` : ""
        }. The state records what the tenant holds for them; run apply again once the cause is fixed.`,
      ),
    );
  }
  return diagnostics;
}

/**
 * The state after a partly failed update: what was done is recorded as planned, what failed as the
 * tenant holds it (read back), what never started as the state knew it, so the next plan converges.
 */
function recordPartial(
  target: { organizationId: string; members: Map<string, string[]>; exclusive: boolean },
  outcomes: readonly ChangeOutcome[],
  notStarted: readonly MemberChange[],
): TfObject {
  const members = new Map<string, readonly string[]>(target.members);
  const undeclared = new Map<string, readonly string[]>();
  const record = (change: MemberChange, held: readonly string[] | undefined) => {
    if (change.kind === "undeclared") {
      if (held !== undefined && held.length > 0) undeclared.set(change.userId, held);
    } else if (held === undefined) {
      members.delete(change.userId); // never read: the next plan shows it to be created
    } else if (change.kind === "declared" || held.length > 0) {
      members.set(change.userId, held);
    }
  };
  for (const o of outcomes) if (!o.ok) record(o.change, o.held);
  for (const change of notStarted) record(change, change.believed);
  return toOrganizationRolesObject({
    ...target,
    members,
    undeclared: target.exclusive ? undeclared : undefined,
  });
}
