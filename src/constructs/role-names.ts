import { suggestionText, unknownNames } from "../roles";
import type { ConstructLibrary, IConstruct } from "./library";

/**
 * `roles.id("billing")`, shared by the cdktf and cdktn `Auth0Roles` constructs: a reference to a
 * role id by name, looked up in the data source's `roles` map. The names used go to the data
 * source's `names`, so the provider fails the plan for a name the tenant lacks (naming the closest
 * ones); when the tenant's names are also given in code, synthesis checks them first.
 */
export class RoleNameReferences {
  private readonly tokens = new Map<string, string>();

  /**
   * @param lookup the data source's `roles.lookup(name)`: a token for the id in the map
   * @param knownNames the tenant's role names, when the code keeps them; undefined skips the synth check
   */
  constructor(
    private readonly construct: IConstruct,
    private readonly lookup: (name: string) => string,
    knownNames: readonly string[] | undefined,
    private readonly library: ConstructLibrary,
  ) {
    construct.node.addValidation({ validate: () => this.errors(knownNames) });
  }

  /**
   * A token for the id of the role called `name`. One name always gives the same token, so the
   * member-roles checks see `[roles.id("a"), roles.id("a")]` as the duplicate it is.
   */
  id(name: string): string {
    let token = this.tokens.get(name);
    if (token === undefined) {
      token = this.lookup(name);
      this.tokens.set(name, token);
      describedTokens.set(token, `roles.id(${JSON.stringify(name)})`);
    }
    return token;
  }

  /** The names `id` was called with, sorted, so the synthesized `names` does not follow code order. */
  usedNames(): string[] {
    return [...this.tokens.keys()].sort();
  }

  private errors(knownNames: readonly string[] | undefined): string[] {
    const used = this.usedNames().filter((name) => !this.library.isUnresolved(name));
    const empty = used.includes("")
      ? [
          this.located(
            'roles.id(""): the role name is empty. Use the name shown under User Management > Roles.',
          ),
        ]
      : [];
    if (knownNames === undefined || this.library.isUnresolved(knownNames)) return empty;
    const known = knownNames.filter((name) => !this.library.isUnresolved(name));
    const missing = unknownNames(
      used.filter((name) => name !== ""),
      new Set(known),
    ).map((name) =>
      this.located(
        `roles.id(${JSON.stringify(name)}): no role called ${JSON.stringify(name)} in knownNames. ${suggestionText(name, known)} ` +
          "Fix the spelling, or add the role to knownNames (and to the tenant).",
      ),
    );
    return [...empty, ...missing];
  }

  private located(detail: string): string {
    return `Auth0Roles ${this.construct.node.path}: ${detail}`;
  }
}

/** `roles.id(...)` tokens -> how the code wrote them, for messages about role lists. */
const describedTokens = new Map<string, string>();

/** Whether `role` is a token `roles.id(name)` returned. */
export function isRoleNameReference(role: string): boolean {
  return describedTokens.has(role);
}

/** How a role list entry reads in a message: a role id in quotes, or `roles.id("name")`. */
export function describeRole(role: string): string {
  return describedTokens.get(role) ?? JSON.stringify(role);
}
