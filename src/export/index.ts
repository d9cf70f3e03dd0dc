export { memberResourcesHcl, organizationResourceHcl } from "./hcl";
export { type ExportedOrganization, readOrganization } from "./read";
export { memberConstructsTypescript, organizationConstructTypescript } from "./typescript";
