import { join } from "node:path";
import type { ConstructLibrary, IConstruct } from "auth0-org-member-roles/constructs";
import { Annotations, Aspects, TerraformStack, Token } from "cdktf";
// Not re-exported from the package root, but it is the hook cdktf's own constructs use to write
// files next to a stack at synth time; cdktf is at its final release, so it will not move.
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
import type { Construct } from "constructs";

// The shared code sees constructs through a structural type (the core has no CDK peers); the only
// constructs it hands back are the ones this package passed in, and their stacks and roots.
const construct = (c: IConstruct): Construct => c as Construct;

/** The shared construct code's view of cdktf. */
export const CDKTF: ConstructLibrary = {
  isUnresolved: (value) => Token.isUnresolved(value),
  stackOf: (node) => {
    const stack = TerraformStack.of(construct(node));
    // cdktn finds this library's stacks and the other way round, but their constructs fail at synth
    // with an internal error: say which import fits.
    if (!(stack instanceof TerraformStack)) {
      throw new Error(
        `${node.node.path} is a cdktf construct in a stack that is not from cdktf (a cdktn app?): import it from "auth0-org-member-roles-cdktn".`,
      );
    }
    return stack;
  },
  addAspect: (stack, visit) => Aspects.of(construct(stack)).add({ visit }),
  addWarning: (node, message) => Annotations.of(construct(node)).addWarning(message),
  onSynthesize: (node, write) =>
    addCustomSynthesis(construct(node), {
      onSynthesize: (session) => {
        const stack = session.manifest.forStack(TerraformStack.of(construct(node)));
        write(join(session.outdir, stack.workingDirectory));
      },
    }),
};
