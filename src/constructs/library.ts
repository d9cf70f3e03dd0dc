import type { IConstruct } from "constructs";
import type { IsUnresolved } from "./checks";

/**
 * What the shared construct code needs from cdktf or cdktn: the two libraries have the same API
 * under different package names, and a construct built on one fails under the other's App, so
 * each library gets its own thin construct layer (src/cdktf, src/cdktn) over this adapter.
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
