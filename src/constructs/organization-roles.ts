import type { ConstructLibrary, IConstruct } from "./library";
import { memberRolesInputsOf } from "./member-roles";
import {
  checkOrganizationRoles,
  type OrganizationRolesInputs,
  organizationConflicts,
} from "./organization-checks";

/** What the generated OrganizationRoles of either library exposes to the checks. */
export interface OrganizationRolesResource extends IConstruct {
  readonly organizationIdInput?: string;
  /** Member user id -> role ids, or a token (then checked at plan time). */
  readonly membersInput?: unknown;
  readonly exclusiveInput?: unknown;
}

/** Every OrganizationRoles construct (of either library), with how to read its inputs. */
const organizationInputs = new WeakMap<IConstruct, () => OrganizationRolesInputs>();

/**
 * The app's conflicts per OrganizationRoles path, worked out once per synthesis from every
 * OrganizationRoles and OrganizationMemberRoles in the app (as member-roles.ts does for its index):
 * an aspect on each stack drops it when the stack synthesizes, the first validation rebuilds it.
 */
const conflictsByApp = new WeakMap<IConstruct, ReadonlyMap<string, string[]>>();
const stacksWithReset = new WeakSet<IConstruct>();

function resetConflictsOnSynth(stack: IConstruct, library: ConstructLibrary): void {
  if (stacksWithReset.has(stack)) return;
  stacksWithReset.add(stack);
  library.addAspect(stack, (node) => {
    if (node === stack) conflictsByApp.delete(stack.node.root);
  });
}

function conflictsOf(root: IConstruct, library: ConstructLibrary): ReadonlyMap<string, string[]> {
  let conflicts = conflictsByApp.get(root);
  if (conflicts === undefined) {
    const organizations: OrganizationRolesInputs[] = [];
    const members = [];
    for (const c of root.node.findAll()) {
      const org = organizationInputs.get(c);
      if (org) organizations.push(org());
      const member = memberRolesInputsOf(c);
      if (member) members.push(member);
    }
    conflicts = organizationConflicts(organizations, members, library.isUnresolved);
    conflictsByApp.set(root, conflicts);
  }
  return conflicts;
}

/**
 * Adds OrganizationRoles' synth-time checks to `construct`: per member, empty ids, more than 50 roles
 * and duplicate role ids (errors) and ids that do not look like Auth0's (warnings); and, across the
 * app, a second OrganizationRoles for the organization or an OrganizationMemberRoles it clashes with.
 */
export function addOrganizationRolesChecks(
  construct: OrganizationRolesResource,
  library: ConstructLibrary,
): void {
  const inputs = (): OrganizationRolesInputs => ({
    path: construct.node.path,
    organizationId: construct.organizationIdInput,
    // A token instead of a map is caught as unresolved by the checks.
    members: construct.membersInput as Readonly<Record<string, readonly string[]>> | undefined,
    exclusive: construct.exclusiveInput,
  });
  organizationInputs.set(construct, inputs);
  resetConflictsOnSynth(library.stackOf(construct), library);
  construct.node.addValidation({
    validate: () => {
      const self = inputs();
      const findings = checkOrganizationRoles(self, library.isUnresolved);
      for (const warning of findings.filter((f) => f.severity === "warning")) {
        if (!construct.node.metadata.some((entry) => entry.data === warning.message)) {
          library.addWarning(construct, warning.message);
        }
      }
      const errors = findings.filter((f) => f.severity === "error").map((f) => f.message);
      return [...errors, ...(conflictsOf(construct.node.root, library).get(self.path) ?? [])];
    },
  });
}
