/**
 * The plan and apply rules every resource shares, so that each resource states only its own logic:
 * requires-replace from the schema, computed values unknown until create, configuration checked
 * again as values become known, and apply dispatched to create, update or delete without trusting
 * that the plan Terraform hands back is complete.
 */
import type { AttributePath, Diagnostic } from "../protocol/diagnostics";
import { attributePath, errorDiag } from "../protocol/diagnostics";
import { type TfObject, type TfValue, UNKNOWN } from "../protocol/values";
import type { ProviderContext } from "./context";
import type { Resource, StateResult } from "./resource";
import { containsUnknown, sameValue, unknownAttributes } from "./values";

export interface PlanInput {
  readonly priorState: TfObject | null;
  readonly proposedNewState: TfObject | null;
  readonly config: TfObject | null;
  readonly imported: boolean;
}

export interface PlanOutput {
  readonly plannedState: TfObject | null;
  readonly requiresReplace: AttributePath[];
  readonly diagnostics: Diagnostic[];
}

export interface ApplyInput {
  readonly priorState: TfObject | null;
  readonly plannedState: TfObject | null;
  readonly config: TfObject | null;
}

export function errorsOnly(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === "error");
}

export async function planChange<Api>(
  resource: Resource<Api>,
  input: PlanInput,
  ctx: ProviderContext<Api>,
): Promise<PlanOutput> {
  const { priorState: prior, proposedNewState: proposed, config } = input;
  // A destroy has nothing to plan.
  if (proposed === null) return { plannedState: null, requiresReplace: [], diagnostics: [] };

  const { attributes } = resource.schema.block;
  const requiresReplace =
    prior === null
      ? []
      : attributes
          .filter((a) => a.requiresReplace && !sameValue(prior[a.name], proposed[a.name]))
          .map((a) => attributePath(a.name));
  // A create (or the new object of a replacement) gets its computed values from the tenant at apply;
  // an update keeps them, as Terraform proposed.
  const fresh = prior === null || requiresReplace.length > 0;
  const planned: Record<string, TfValue> = { ...proposed };
  for (const a of attributes) {
    const configured = config?.[a.name] ?? null;
    if (a.computed && configured === null && fresh) planned[a.name] = UNKNOWN;
  }
  // Values unknown at validation are checked now that more are known. Only errors: the warnings were
  // shown by ValidateResourceConfig already.
  const diagnostics = errorsOnly(resource.validate?.(config ?? proposed) ?? []);
  // A plan with errors is not applied: the resource has nothing to add to it (nor to read for it).
  if (!resource.modifyPlan || diagnostics.length > 0) {
    return { plannedState: planned, requiresReplace, diagnostics };
  }
  const modified = await resource.modifyPlan(
    { prior, planned, config, imported: input.imported, replacing: requiresReplace.length > 0 },
    ctx,
  );
  return {
    plannedState: modified.planned,
    requiresReplace,
    diagnostics: [...diagnostics, ...modified.diagnostics],
  };
}

export async function applyChange<Api>(
  resource: Resource<Api>,
  input: ApplyInput,
  ctx: ProviderContext<Api>,
): Promise<StateResult> {
  const { priorState: prior, plannedState: planned, config } = input;
  if (planned === null) {
    if (prior === null) return { newState: null, diagnostics: [] };
    const { diagnostics } = await resource.delete(prior, ctx);
    // Terraform keeps an object whose delete reports an error; the prior state then stays as it was.
    return { newState: diagnostics.some((d) => d.severity === "error") ? prior : null, diagnostics };
  }
  const refusal = refuseApply(resource, planned);
  if (refusal.length > 0) return { newState: prior, diagnostics: refusal };

  const result =
    prior === null
      ? await resource.create({ planned, config }, ctx)
      : await resource.update({ prior, planned, config }, ctx);
  if (result.newState !== null && containsUnknown(result.newState)) {
    const names = unknownAttributes(result.newState, resource.schema.block);
    return {
      newState: prior,
      diagnostics: [
        ...result.diagnostics,
        errorDiag(
          "Provider bug: unknown values after apply",
          `${resource.typeName} left ${names.join(", ")} unknown after apply. Please report this.`,
        ),
      ],
    };
  }
  return result;
}

/**
 * Never trust the caller: every configured value must be known, and the configuration must pass the
 * same checks as at plan. Terraform guarantees both for a plan it made itself; this catches any other.
 */
function refuseApply<Api>(resource: Resource<Api>, planned: TfObject): Diagnostic[] {
  const unknown = unknownAttributes(planned, resource.schema.block, (a) => a.computed !== true);
  if (unknown.length > 0) {
    return [
      errorDiag(
        "Values still unknown at apply",
        `${unknown.join(", ")} must be known to apply. Check what they depend on, then run apply again.`,
      ),
    ];
  }
  return errorsOnly(resource.validate?.(planned) ?? []);
}
