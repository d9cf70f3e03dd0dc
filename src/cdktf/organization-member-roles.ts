import { Annotations } from "cdktf";
import type { Construct } from "constructs";
import {
  OrganizationMemberRoles as GeneratedOrganizationMemberRoles,
  type OrganizationMemberRolesConfig,
} from "./generated/organization-member-roles";
import { checkMemberRoles, type MemberRolesInputs, sameMemberConflict } from "./validation";

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
    this.node.addValidation({ validate: () => this.synthErrors() });
  }

  private synthErrors(): string[] {
    const self = inputsOf(this);
    const findings = checkMemberRoles(self);
    for (const warning of findings.filter((f) => f.severity === "warning")) this.warnOnce(warning.message);

    const errors = findings.filter((f) => f.severity === "error").map((f) => f.message);
    const others = this.node.root.node
      .findAll()
      .filter((c): c is OrganizationMemberRoles => c instanceof OrganizationMemberRoles)
      .map(inputsOf);
    const conflict = sameMemberConflict(self, others);
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
