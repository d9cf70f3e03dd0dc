import { ManagementApiError } from "../../../src/management/errors";
import { attributePath } from "../../../src/provider/protocol/diagnostics";
import { planReadFailure } from "../../../src/provider/resources/revocation-warnings";

const ORG = "org_abc123";
const path = attributePath("organization_id");

function apiError(reason: "unauthorized" | "server_error"): ManagementApiError {
  return new ManagementApiError({ reason, message: `the tenant said ${reason}`, method: "GET", path: "/x" });
}

describe("planReadFailure", () => {
  test("names one member, or the members of the organization, with the verb agreeing", () => {
    const one = planReadFailure(
      { organizationId: ORG, userId: "auth0|alice" },
      apiError("server_error"),
      path,
    );
    expect(one.summary).toBe("Could not check which roles auth0|alice holds now");

    const all = planReadFailure({ organizationId: ORG }, apiError("server_error"), path);
    expect(all.summary).toBe(`Could not check which roles the members of ${ORG} hold now`);
    expect(all.detail).toContain(`revokes every role the members of ${ORG} hold in ${ORG}`);

    const denied = planReadFailure({ organizationId: ORG }, apiError("unauthorized"), path);
    expect(denied.severity).toBe("error");
    expect(denied.summary).toBe(`Could not read the roles the members of ${ORG} hold`);
  });
});
