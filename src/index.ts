/**
 * The core package's root: the emulator, to try the constructs and the provider without a tenant.
 * The constructs are in auth0-org-member-roles-cdktf and auth0-org-member-roles-cdktn.
 */
export { type Emulator, type EmulatorOptions, type SeedData, startEmulator } from "./emulator";
