import { join } from "node:path";
import { Annotations, Aspects, TerraformStack, Token } from "cdktn";
// Not re-exported from the package root: cdktn kept cdktf's hook for writing files next to a stack
// at synth time where cdktf had it.
import { addCustomSynthesis } from "cdktn/lib/synthesize/synthesizer";
import type { ConstructLibrary } from "../constructs/library";

/** The shared construct code's view of cdktn. */
export const CDKTN: ConstructLibrary = {
  isUnresolved: (value) => Token.isUnresolved(value),
  stackOf: (construct) => {
    const stack = TerraformStack.of(construct);
    // cdktf finds this library's stacks and the other way round, but their constructs fail at synth
    // with an internal error: say which import fits.
    if (!(stack instanceof TerraformStack)) {
      throw new Error(
        `${construct.node.path} is a cdktn construct in a stack that is not from cdktn (a cdktf app?): import it from "auth0-org-member-roles".`,
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
