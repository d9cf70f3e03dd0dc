import { join } from "node:path";
import type { ConstructLibrary, IConstruct } from "auth0-org-member-roles/constructs";
import { Annotations, Aspects, TerraformStack, Token } from "cdktn";
// Not re-exported from the package root: cdktn kept cdktf's hook for writing files next to a stack
// at synth time where cdktf had it.
import { addCustomSynthesis } from "cdktn/lib/synthesize/synthesizer";
import type { Construct } from "constructs";

// The shared code sees constructs through a structural type (the core has no CDK peers); the only
// constructs it hands back are the ones this package passed in, and their stacks and roots.
const construct = (c: IConstruct): Construct => c as Construct;

/** The shared construct code's view of cdktn. */
export const CDKTN: ConstructLibrary = {
  isUnresolved: (value) => Token.isUnresolved(value),
  stackOf: (node) => {
    const stack = TerraformStack.of(construct(node));
    // cdktf finds this library's stacks and the other way round, but their constructs fail at synth
    // with an internal error: say which import fits.
    if (!(stack instanceof TerraformStack)) {
      throw new Error(
        `${node.node.path} is a cdktn construct in a stack that is not from cdktn (a cdktf app?): import it from "auth0-org-member-roles-cdktf".`,
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
