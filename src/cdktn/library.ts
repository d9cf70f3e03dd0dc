import { join } from "node:path";
import { Annotations, Aspects, TerraformStack, Token } from "cdktn";
// Not re-exported from the package root: cdktn kept cdktf's hook for writing files next to a stack
// at synth time where cdktf had it.
import { addCustomSynthesis } from "cdktn/lib/synthesize/synthesizer";
import type { ConstructLibrary } from "../constructs/library";

/** The shared construct code's view of cdktn. */
export const CDKTN: ConstructLibrary = {
  isUnresolved: (value) => Token.isUnresolved(value),
  stackOf: (construct) => TerraformStack.of(construct),
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
