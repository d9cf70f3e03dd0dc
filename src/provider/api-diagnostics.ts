import { ConfigurationError, ManagementApiError } from "../management/errors";
import {
  type AttributePath,
  attributePath,
  type Diagnostic,
  errorDiag,
  errorText,
} from "./protocol/diagnostics";

/** The attribute a user should look at for each kind of API failure. */
function attributeFor(error: ManagementApiError): AttributePath | undefined {
  switch (error.reason) {
    case "organization_not_found":
      return attributePath("organization_id");
    case "user_not_found":
    case "not_a_member":
      return attributePath("user_id");
    case "role_not_found":
    case "too_many_roles":
      return attributePath("roles");
    default:
      return undefined;
  }
}

/**
 * Turns a failure into a diagnostic. The API client builds its messages without tokens or secrets;
 * anything else is reduced to its message so request configuration never leaks through a stack.
 */
export function failureDiagnostic(summary: string, error: unknown, resourceAttributes = true): Diagnostic {
  if (error instanceof ManagementApiError) {
    return errorDiag(summary, error.message, resourceAttributes ? attributeFor(error) : undefined);
  }
  if (error instanceof ConfigurationError) {
    return errorDiag(summary, error.message, attributePath(error.field));
  }
  return errorDiag(summary, errorText(error));
}

/** Not-found answers that mean "this member's roles are gone", as opposed to a bad request. */
export function isMembershipGone(error: unknown): error is ManagementApiError {
  return (
    error instanceof ManagementApiError &&
    (error.reason === "organization_not_found" ||
      error.reason === "user_not_found" ||
      error.reason === "not_a_member")
  );
}
