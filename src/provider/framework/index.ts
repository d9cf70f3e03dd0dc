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
export type { IdentityResult, ResourceIdentity } from "./resource-identity";
export type { ListedObject, ListRequest, ResourceList } from "./resource-list";
export { type Configured, type ProviderDefinition, ProviderServer } from "./server";
