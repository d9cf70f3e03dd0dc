export type { Claim } from "./claims";
export type { ProviderContext } from "./context";
export type { DataSource } from "./data-source";
export type {
  CreateRequest,
  ImportResult,
  ModifyPlanRequest,
  PlanModification,
  Resource,
  ResourceAttribute,
  ResourceSchema,
  StateMover,
  StateResult,
  UpdateRequest,
} from "./resource";
export { type Configured, type ProviderDefinition, ProviderServer } from "./server";
