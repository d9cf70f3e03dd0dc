import { ManagementApiError } from "../../src/management/errors";
import { failureDiagnostic } from "../../src/provider/api-diagnostics";
import { errorText } from "../../src/provider/protocol/diagnostics";
import { uncounted } from "../../src/provider/resources/organization-plan-reads";

// Something thrown that is not an Error may be request data: only an Error's own message is shown.
const thrownData = { headers: { authorization: "Bearer secret-token-0123" } };

describe("failure text", () => {
  test("an Error shows its message; anything else shows no content of its own", () => {
    expect(errorText(new Error("the tenant is down"))).toBe("the tenant is down");
    expect(errorText(thrownData)).toBe("Unexpected error.");
    expect(errorText("Bearer secret-token-0123")).toBe("Unexpected error.");
    expect(errorText(new Error(""))).toBe("Unexpected error.");
  });

  test("diagnostics made from a failure never carry a thrown value's content", () => {
    const fromData = failureDiagnostic("Could not read", thrownData);
    expect(JSON.stringify(fromData)).not.toContain("secret-token");
    expect(fromData.detail).toBe("Unexpected error.");
    expect(JSON.stringify(uncounted("org_abc123", thrownData))).not.toContain("secret-token");

    const api = new ManagementApiError({
      reason: "server_error",
      message: "Auth0 answered 503",
      method: "GET",
      path: "/x",
    });
    expect(failureDiagnostic("Could not read", api).detail).toBe("Auth0 answered 503");
  });
});
