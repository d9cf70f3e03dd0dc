/** What users import: the CDKTF constructs, and the emulator to try them without a tenant. */
export * from "./cdktf";
export { type Emulator, type EmulatorOptions, type SeedData, startEmulator } from "./emulator";
