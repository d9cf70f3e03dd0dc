import type { IsUnresolved } from "./checks";

/**
 * The part of a construct the shared code uses, written out here instead of imported from
 * `constructs`: the core package has no CDK peers, and the cdktf and cdktn packages (each with
 * its own `constructs`) pass their constructs in.
 */
export interface IConstruct {
  readonly node: ConstructNode;
}

export interface ConstructNode {
  readonly path: string;
  readonly root: IConstruct;
  findAll(): IConstruct[];
  addValidation(validation: { validate(): string[] }): void;
  readonly metadata: readonly { readonly data: unknown }[];
}

/**
 * What the shared construct code needs from cdktf or cdktn: the two libraries have the same API
 * under different package names, and a construct built on one fails under the other's App, so
 * each library has its own package (packages/cdktf, packages/cdktn) with a thin construct layer
 * over this adapter.
 */
export interface ConstructLibrary {
  readonly isUnresolved: IsUnresolved;
  /** The stack `construct` is in; throws, naming the import that fits, when it is the other library's. */
  stackOf(construct: IConstruct): IConstruct;
  /** Calls `visit` for every construct in `stack` each time the stack is synthesized (an aspect). */
  addAspect(stack: IConstruct, visit: (node: IConstruct) => void): void;
  addWarning(construct: IConstruct, message: string): void;
  /** Calls `write` with the stack's output directory each time the stack is synthesized. */
  onSynthesize(construct: IConstruct, write: (stackDir: string) => void): void;
}
