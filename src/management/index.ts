export { operationSignal } from "./deadline";
export { connectionFromEnv, type EnvConnection } from "./env";
export { ConfigurationError, ManagementApiError, type ManagementErrorReason } from "./errors";
export { ManagementClient } from "./member-roles";
export type { ListedMember } from "./members-page";
export { DEFAULT_RETRY_POLICY } from "./retry";
export type {
  CallOptions,
  Credentials,
  LogFields,
  ManagementClientOptions,
  ManagementLogger,
  MembersWalkOptions,
  Organization,
  PacingClock,
  RateLimitGroup,
  RetryPolicy,
  Role,
} from "./types";
