/** Warnings and errors reported to Terraform, optionally pointing at the attribute at fault. */

export type PathStep = { readonly attribute: string } | { readonly key: string } | { readonly index: number };
export type AttributePath = readonly PathStep[];

export interface Diagnostic {
  severity: "error" | "warning";
  summary: string;
  detail?: string;
  attribute?: AttributePath;
}

function diagnostic(
  severity: Diagnostic["severity"],
  summary: string,
  detail?: string,
  attribute?: AttributePath,
): Diagnostic {
  return {
    severity,
    summary,
    ...(detail === undefined ? {} : { detail }),
    ...(attribute === undefined ? {} : { attribute }),
  };
}

export function errorDiag(summary: string, detail?: string, attribute?: AttributePath): Diagnostic {
  return diagnostic("error", summary, detail, attribute);
}

export function warningDiag(summary: string, detail?: string, attribute?: AttributePath): Diagnostic {
  return diagnostic("warning", summary, detail, attribute);
}

/**
 * What a failure says to a user or a log: only an Error's own message. A thrown non-Error could be
 * request data (with a secret in it), and stacks help nobody reading a Terraform error.
 */
export function errorText(error: unknown): string {
  return error instanceof Error && error.message !== "" ? error.message : "Unexpected error.";
}

/** The path of a top-level attribute. */
export function attributePath(name: string): AttributePath {
  return [{ attribute: name }];
}
