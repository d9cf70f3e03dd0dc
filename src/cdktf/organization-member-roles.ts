import { Annotations, Aspects, TerraformStack } from "cdktf";
import type { Construct, IConstruct } from "constructs";
import {
  OrganizationMemberRoles as GeneratedOrganizationMemberRoles,
  type OrganizationMemberRolesConfig,
} from "./generated/organization-member-roles";
import {
  checkMemberRoles,
  type FirstManagers,
  firstManagers,
  type MemberRolesInputs,
  sameMemberConflict,
} from "./validation";

/**
 * The app's index of who manages each member, built once per synthesis: every construct's
 * validation needs it, and building it per construct made synthesis quadratic (3,000 members took
 * seconds). Synthesizing a stack runs its aspects before its validations, so an aspect on each stack
 * drops the index there, and the first validation builds it from the constructs as they are then.
 */
const managersByApp = new WeakMap<IConstruct, FirstManagers>();
const stacksWithReset = new WeakSet<TerraformStack>();

function resetManagersOnSynth(stack: TerraformStack): void {
  if (stacksWithReset.has(stack)) return;
  stacksWithReset.add(stack);
  Aspects.of(stack).add({
    visit: (node) => {
      if (node === stack) managersByApp.delete(stack.node.root);
    },
  });
}

function managersOf(root: IConstruct): FirstManagers {
  let managers = managersByApp.get(root);
  if (managers === undefined) {
    managers = firstManagers(
      root.node
        .findAll()
        .filter((c): c is OrganizationMemberRoles => c instanceof OrganizationMemberRoles)
        .map(inputsOf),
    );
    managersByApp.set(root, managers);
  }
  return managers;
}

/**
 * The complete set of roles one member holds in one Auth0 organization. Roles not listed are
 * revoked on apply.
 *
 * The generated resource plus synth-time checks: empty ids, more than 50 roles, duplicate role
 * ids, and two constructs in one app managing the same member. Values that are tokens (variables,
 * references, `Fn.*`) are checked by the provider at plan time instead.
 */
export class OrganizationMemberRoles extends GeneratedOrganizationMemberRoles {
  constructor(scope: Construct, id: string, config: OrganizationMemberRolesConfig) {
    super(scope, id, config);
    resetManagersOnSynth(TerraformStack.of(this));
    this.node.addValidation({ validate: () => this.synthErrors() });
  }

  private synthErrors(): string[] {
    const self = inputsOf(this);
    const findings = checkMemberRoles(self);
    for (const warning of findings.filter((f) => f.severity === "warning")) this.warnOnce(warning.message);

    const errors = findings.filter((f) => f.severity === "error").map((f) => f.message);
    const conflict = sameMemberConflict(self, managersOf(this.node.root));
    return conflict === undefined ? errors : [...errors, conflict];
  }

  // Validation runs on every synth (Testing.synth and app.synth may both run it); a warning
  // repeated per run would read like several problems.
  private warnOnce(message: string): void {
    if (!this.node.metadata.some((entry) => entry.data === message)) Annotations.of(this).addWarning(message);
  }
}

function inputsOf(construct: OrganizationMemberRoles): MemberRolesInputs {
  return {
    path: construct.node.path,
    organizationId: construct.organizationIdInput,
    userId: construct.userIdInput,
    roles: construct.rolesInput,
  };
}
