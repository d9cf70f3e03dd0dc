/**
 * What two resources of one configuration must not both manage (say, one member's roles). The
 * provider sees resources one call at a time and never their addresses, so this registry remembers
 * what the calls of one provider process claimed, and the plan of an instance whose claim another
 * instance holds fails with an error naming the thing claimed.
 *
 * Terraform validates each instance (ValidateResourceConfig, values known) right before it plans it
 * (PlanResourceChange), and starts the instances that do not depend on one another together: by the
 * time the first of them is planned, the others have mostly been validated, so each instance involved
 * gets the error. One that is validated only after the other was planned still finds that plan's claim:
 * the plan fails either way, before anything is written. Terraform versions that also validate every
 * block before configuring the provider (values only where literal) add those claims in a list of
 * their own, since a block and its instance are validated with the same values.
 */
import { type AttributePath, type Diagnostic, errorDiag } from "../protocol/diagnostics";
import type { TfObject } from "../protocol/values";
import { sameValue } from "./values";

export interface Claim {
  /** e.g. an organization id. */
  readonly group: string;
  /** e.g. a user id; undefined: the whole group, which conflicts with every item of it. */
  readonly item: string | undefined;
  /** How the claimed thing is named in the error, e.g. `auth0|bob in org_acme`. */
  readonly what: string;
  /** Where the error points in the claiming resource. */
  readonly path: AttributePath;
}

interface Owner {
  readonly typeName: string;
  readonly config: TfObject;
  readonly claims: readonly Claim[];
}

function conflicting(a: Claim, b: Claim): boolean {
  return a.group === b.group && (a.item === undefined || b.item === undefined || a.item === b.item);
}

/** The owners of one group: those claiming all of it, and those claiming items of it, by item. */
interface GroupOwners {
  readonly whole: Owner[];
  readonly byItem: Map<string, Owner[]>;
}

/**
 * Owners by what they claim. Claims conflict only within a group and, for two items, only on the
 * same item, so a plan compares itself with the owners of its own items and of its groups as a
 * whole: with thousands of members of one organization, comparing each plan with every resource of
 * the organization validated so far would be quadratic.
 */
class Owners {
  private readonly byGroup = new Map<string, GroupOwners>();
  /** When each owner was added (a counter), so near() answers in that order. */
  private readonly added = new Map<Owner, number>();
  private additions = 0;

  add(owner: Owner): void {
    if (!this.added.has(owner)) this.added.set(owner, this.additions++);
    for (const claim of owner.claims) {
      const list = this.listOf(claim);
      if (!list.includes(owner)) list.push(owner);
    }
  }

  remove(owner: Owner): void {
    this.added.delete(owner);
    for (const claim of owner.claims) {
      const list = this.listOf(claim);
      const index = list.indexOf(owner);
      if (index >= 0) list.splice(index, 1);
    }
  }

  /** The owners whose claims may conflict with one of `me`'s, each once, in the order they were added. */
  near(me: Owner): Owner[] {
    const found = new Set<Owner>();
    for (const claim of me.claims) {
      const group = this.byGroup.get(claim.group);
      if (group === undefined) continue;
      for (const owner of group.whole) found.add(owner);
      const items =
        claim.item === undefined ? [...group.byItem.values()] : [group.byItem.get(claim.item) ?? []];
      for (const list of items) for (const owner of list) found.add(owner);
    }
    const order = (owner: Owner) => this.added.get(owner) ?? 0;
    return [...found].sort((a, b) => order(a) - order(b));
  }

  private listOf(claim: Claim): Owner[] {
    let group = this.byGroup.get(claim.group);
    if (group === undefined) {
      group = { whole: [], byItem: new Map() };
      this.byGroup.set(claim.group, group);
    }
    if (claim.item === undefined) return group.whole;
    let list = group.byItem.get(claim.item);
    if (list === undefined) {
      list = [];
      group.byItem.set(claim.item, list);
    }
    return list;
  }
}

export class ClaimRegistry {
  private configured = false;
  /** Validated before the provider was configured: blocks. */
  private readonly blocks = new Owners();
  /** Validated after: instances, each right before its plan. */
  private readonly instances = new Owners();
  private readonly planned = new Owners();

  noteConfigured(): void {
    this.configured = true;
  }

  noteValidated(typeName: string, config: TfObject, claims: readonly Claim[]): void {
    if (claims.length > 0) (this.configured ? this.instances : this.blocks).add({ typeName, config, claims });
  }

  /**
   * The errors of an instance about to be planned (one per other resource claiming what it claims).
   * Its claims are recorded at once, before its plan reads anything, so instances planned meanwhile
   * see them; `release` takes them back (the first plan of a replacement: Terraform plans its create
   * half next, which claims the same).
   */
  plan(
    typeName: string,
    config: TfObject,
    claims: readonly Claim[],
  ): { diagnostics: Diagnostic[]; release(): void } {
    if (claims.length === 0) return { diagnostics: [], release: () => {} };
    const me: Owner = { typeName, config, claims };
    const others = [
      ...this.othersValidated(this.blocks, me),
      ...this.othersValidated(this.instances, me),
      ...this.planned.near(me),
    ];
    this.planned.add(me);
    const seen = new Set<string>();
    const diagnostics: Diagnostic[] = [];
    for (const other of others) {
      const pair = overlap(me, other);
      if (!pair) continue;
      const key = `${other.typeName}\u0000${pair.mine.what}\u0000${pair.theirs.what}`;
      if (seen.has(key)) continue;
      seen.add(key);
      diagnostics.push(conflictDiagnostic(pair.mine, { typeName: other.typeName, claim: pair.theirs }));
    }
    return { diagnostics, release: () => this.planned.remove(me) };
  }

  /** The validated owners claiming what `me` claims, but for one with `me`'s configuration: that is `me`. */
  private othersValidated(owners: Owners, me: Owner): Owner[] {
    const claiming = owners.near(me).filter((o) => overlap(me, o) !== undefined);
    const self = claiming.findIndex((o) => o.typeName === me.typeName && sameValue(o.config, me.config));
    return claiming.filter((_, i) => i !== self);
  }
}

/** The first pair of conflicting claims, the most specific of mine first. */
function overlap(me: Owner, other: Owner): { mine: Claim; theirs: Claim } | undefined {
  const mine = [...me.claims].sort((a, b) => Number(a.item === undefined) - Number(b.item === undefined));
  for (const claim of mine) {
    const theirs = other.claims.find((c) => conflicting(claim, c));
    if (theirs) return { mine: claim, theirs };
  }
  return undefined;
}

function conflictDiagnostic(mine: Claim, other: { typeName: string; claim: Claim }): Diagnostic {
  return errorDiag(
    `Managed by two resources: ${mine.what}`,
    `${mine.what} is also managed by an ${other.typeName} in this configuration (${other.claim.what}). ` +
      "Two resources managing the same roles undo each other on every apply: each revokes what the other " +
      "grants. Manage them in one resource only and remove them from the other. Nothing was read or changed.",
    mine.path,
  );
}
