import {
  checkMemberRoles,
  type FirstManagers,
  firstManagers,
  type MemberRolesInputs,
  sameMemberConflict,
} from "./checks";
import type { ConstructLibrary, IConstruct } from "./library";

/** What the generated OrganizationMemberRoles of either library exposes to the checks. */
export interface MemberRolesResource extends IConstruct {
  readonly organizationIdInput?: string;
  readonly userIdInput?: string;
  readonly rolesInput?: string[];
}

/** Every OrganizationMemberRoles construct (of either library), with how to read its inputs. */
const memberRolesInputs = new WeakMap<IConstruct, () => MemberRolesInputs>();

/** The inputs of an OrganizationMemberRoles construct (of either library); undefined for any other construct. */
export function memberRolesInputsOf(construct: IConstruct): MemberRolesInputs | undefined {
  return memberRolesInputs.get(construct)?.();
}

/**
 * The app's index of who manages each member, built once per synthesis: every construct's
 * validation needs it, and building it per construct made synthesis quadratic (3,000 members took
 * seconds). Synthesizing a stack runs its aspects before its validations, so an aspect on each stack
 * drops the index there, and the first validation builds it from the constructs as they are then.
 */
const managersByApp = new WeakMap<IConstruct, FirstManagers>();
const stacksWithReset = new WeakSet<IConstruct>();

function resetManagersOnSynth(stack: IConstruct, library: ConstructLibrary): void {
  if (stacksWithReset.has(stack)) return;
  stacksWithReset.add(stack);
  library.addAspect(stack, (node) => {
    if (node === stack) managersByApp.delete(stack.node.root);
  });
}

function managersOf(root: IConstruct, library: ConstructLibrary): FirstManagers {
  let managers = managersByApp.get(root);
  if (managers === undefined) {
    const all = root.node.findAll().flatMap((c) => {
      const inputs = memberRolesInputs.get(c);
      return inputs === undefined ? [] : [inputs()];
    });
    managers = firstManagers(all, library.isUnresolved);
    managersByApp.set(root, managers);
  }
  return managers;
}

/**
 * Adds OrganizationMemberRoles' synth-time checks to `construct`: empty ids, more than 50 roles,
 * duplicate role ids (errors), ids that do not look like Auth0's (warnings), and two constructs in
 * one app managing the same member.
 */
export function addMemberRolesChecks(construct: MemberRolesResource, library: ConstructLibrary): void {
  const inputs = (): MemberRolesInputs => ({
    path: construct.node.path,
    organizationId: construct.organizationIdInput,
    userId: construct.userIdInput,
    roles: construct.rolesInput,
  });
  memberRolesInputs.set(construct, inputs);
  resetManagersOnSynth(library.stackOf(construct), library);
  construct.node.addValidation({
    validate: () => {
      const self = inputs();
      const findings = checkMemberRoles(self, library.isUnresolved);
      for (const warning of findings.filter((f) => f.severity === "warning")) {
        warnOnce(construct, warning.message, library);
      }
      const errors = findings.filter((f) => f.severity === "error").map((f) => f.message);
      const conflict = sameMemberConflict(
        self,
        managersOf(construct.node.root, library),
        library.isUnresolved,
      );
      return conflict === undefined ? errors : [...errors, conflict];
    },
  });
}

// Validation runs on every synth (Testing.synth and app.synth may both run it); a warning
// repeated per run would read like several problems.
function warnOnce(construct: IConstruct, message: string, library: ConstructLibrary): void {
  if (!construct.node.metadata.some((entry) => entry.data === message))
    library.addWarning(construct, message);
}
