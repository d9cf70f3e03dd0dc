/** The local Auth0 tenant emulator: a Management API for organization member roles on loopback. */
export { EMULATOR_USAGE, type EmulatorCommandIO, parseEmulatorArgs, runEmulatorCommand } from "./command";
export { ApiError, type ApiErrorBody } from "./errors";
export { DEFAULT_RATE_LIMITS, RateLimiter, TokenBucket } from "./rate-limits";
export { ALL_SCOPES, SCOPES, type Scope } from "./scopes";
export { DEFAULT_SEED, loadSeedFile, validateSeedShape } from "./seed";
export { isLoopbackHost, startEmulator } from "./server";
export {
  type Client,
  MAX_ROLES_PER_MEMBER,
  type Role,
  Tenant,
  type TenantSnapshot,
  type User,
} from "./tenant";
export type {
  Emulator,
  EmulatorOptions,
  EndpointGroup,
  FaultSpec,
  RandomFaultSpec,
  RateLimitOptions,
  RequestLogEntry,
  SeedData,
} from "./types";
