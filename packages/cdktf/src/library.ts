import { join } from "node:path";
import { Annotations, Aspects, TerraformStack, Token } from "cdktf";
// Not re-exported from the package root, but it is the hook cdktf's own constructs use to write
// files next to a stack at synth time; cdktf is at its final release, so it will not move.
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
import type { ConstructLibrary } from "../constructs/library";

/** The shared construct code's view of cdktf. */
export const CDKTF: ConstructLibrary = {
  isUnresolved: (value) => Token.isUnresolved(value),
  stackOf: (construct) => {
    const stack = TerraformStack.of(construct);
    // cdktn finds this library's stacks and the other way round, but their constructs fail at synth
    // with an internal error: say which import fits.
    if (!(stack instanceof TerraformStack)) {
      throw new Error(
        `${construct.node.path} is a cdktf construct in a stack that is not from cdktf (a cdktn app?): import it from "auth0-org-member-roles/cdktn".`,
      );
    }
    return stack;
  },
  addAspect: (stack, visit) => Aspects.of(stack).add({ visit }),
  addWarning: (construct, message) => Annotations.of(construct).addWarning(message),
  onSynthesize: (construct, write) =>
    addCustomSynthesis(construct, {
      onSynthesize: (session) => {
        const stack = session.manifest.forStack(TerraformStack.of(construct));
        write(join(session.outdir, stack.workingDirectory));
      },
    }),
};
