import { STATUS_CODES } from "node:http";

/** Auth0 Management API error body: `{"statusCode","error","message","errorCode"?}`. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errorCode?: string;
  attributes?: Record<string, string>;
}

/**
 * An error the emulator answers as an Auth0 Management API error. The tenant throws these too, so a
 * rule (e.g. "not a member") is written once and answered the same way over HTTP and in-process.
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly errorCode?: string,
    readonly headers: Record<string, string> = {},
    readonly attributes?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }

  toBody(): ApiErrorBody {
    const body = errorBody(this.statusCode, this.message, this.errorCode);
    return this.attributes ? { ...body, attributes: this.attributes } : body;
  }
}

export function errorBody(statusCode: number, message: string, errorCode?: string): ApiErrorBody {
  const body: ApiErrorBody = { statusCode, error: STATUS_CODES[statusCode] ?? "Error", message };
  if (errorCode !== undefined) body.errorCode = errorCode;
  return body;
}

export const notFound = {
  organization: () => new ApiError(404, "The organization does not exist.", "inexistent_organization"),
  user: () => new ApiError(404, "The user does not exist.", "inexistent_user"),
  // Recorded wording: no trailing period here, and no errorCode on role 404s.
  member: () => new ApiError(404, "User is not a member of this organization", "inexistent_member"),
  role: () => new ApiError(404, "The role does not exist."),
  roles: (ids: string[]) => new ApiError(404, `One or more of the roles do not exist: ${ids.join(", ")}.`),
};

/** Auth0's wording: `Payload validation error: 'Array is too short (0), minimum 1' on property roles.` */
export function invalidBody(detail: string, property?: string): ApiError {
  return new ApiError(400, `Payload validation error: '${detail}'${onProperty(property)}.`, "invalid_body");
}

export function invalidQuery(detail: string, property?: string): ApiError {
  return new ApiError(
    400,
    `Query validation error: '${detail}'${onProperty(property)}.`,
    "invalid_query_string",
  );
}

function onProperty(property: string | undefined): string {
  return property === undefined ? "" : ` on property ${property}`;
}
