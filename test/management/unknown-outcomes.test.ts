import type { Emulator } from "../../src/emulator";
import {
  ALICE,
  apiRequests,
  clientFor,
  failure,
  ORG,
  ROLE_IDS,
  recordingLogger,
  useTestEmulator,
} from "./fixtures";

// A write that fails with a 5xx or a lost connection may have been applied: the client reads the
// member's roles and re-sends only what is still missing, instead of failing or repeating blindly.

let emu: Emulator;
useTestEmulator((started) => {
  emu = started;
});

const HELD = [ROLE_IDS[0] as string, ROLE_IDS[1] as string];
const ROLE = ROLE_IDS[10] as string;
const OTHER = ROLE_IDS[11] as string;
const ROLES_PATH = `/api/v2/organizations/${ORG}/members/auth0%7Calice/roles`;

/** The Management API requests as "METHOD status [roles sent]", in order. */
function exchanges(): string[] {
  return apiRequests(emu).map((r) => {
    const roles = (r.body as { roles?: string[] } | undefined)?.roles;
    return `${r.method} ${r.status}${roles ? ` ${roles.join(",")}` : ""}`;
  });
}

describe("assigning roles when Auth0's answer leaves the outcome unknown", () => {
  it("a POST answered 503 after it was applied: one verifying GET, no second POST", async () => {
    emu.injectFault({ kind: "after-apply", status: 503, method: "POST" });
    await clientFor(emu).assignMemberRoles(ORG, ALICE, [ROLE, OTHER]);
    expect(emu.tenant.memberRoles(ORG, ALICE).sort()).toEqual([...HELD, ROLE, OTHER].sort());
    expect(exchanges()).toEqual([`POST 503 ${ROLE},${OTHER}`, "GET 200"]);
    expect(apiRequests(emu, "GET")[0]?.path).toBe(ROLES_PATH);
  });

  it("a POST reset before it was applied: a verifying GET, then only the missing roles sent again", async () => {
    emu.injectFault({ kind: "drop", method: "POST" });
    // HELD[0] is already held, so only ROLE is missing after the reset.
    await clientFor(emu).assignMemberRoles(ORG, ALICE, [HELD[0] as string, ROLE]);
    expect(emu.tenant.memberRoles(ORG, ALICE).sort()).toEqual([...HELD, ROLE].sort());
    expect(exchanges()).toEqual([`POST 0 ${HELD[0]},${ROLE}`, "GET 200", `POST 204 ${ROLE}`]);
  });

  it("a POST whose connection was reset after it was applied is not sent again", async () => {
    emu.injectFault({ kind: "after-apply", method: "POST" });
    await clientFor(emu).assignMemberRoles(ORG, ALICE, [ROLE]);
    expect(emu.tenant.memberRoles(ORG, ALICE).sort()).toEqual([...HELD, ROLE].sort());
    expect(exchanges()).toEqual([`POST 0 ${ROLE}`, "GET 200"]);
  });

  it("gives up after 3 unknown outcomes, saying what happened and what was verified", async () => {
    emu.injectFault({ kind: "drop", method: "POST", times: 2 });
    emu.injectFault({ kind: "status", status: 502, method: "POST", times: Number.POSITIVE_INFINITY });
    const { lines, logger } = recordingLogger();
    const error = await failure(
      clientFor(emu, { logger }).assignMemberRoles(ORG, ALICE, [HELD[1] as string, ROLE]),
    );
    expect(error).toMatchObject({ reason: "server_error", status: 502, method: "POST", path: ROLES_PATH });
    expect(error.message).toMatch(/outcome was unknown 3 times \(no answer, no answer, HTTP 502\)/);
    expect(error.message).toMatch(/read the member's roles after each/);
    expect(error.message).toMatch(new RegExp(`1 of the 2 roles is still not held: ${ROLE}\\b`));
    expect(exchanges()).toEqual([
      `POST 0 ${HELD[1]},${ROLE}`,
      "GET 200",
      `POST 0 ${ROLE}`,
      "GET 200",
      `POST 502 ${ROLE}`,
      "GET 200",
    ]);
    expect(lines.filter((l) => l.startsWith("warn auth0 write outcome unknown"))).toHaveLength(3);
    expect(emu.tenant.memberRoles(ORG, ALICE).sort()).toEqual(HELD);
  });

  it("an answer that says Auth0 refused (4xx) is not verified", async () => {
    emu.tenant.assignRoles(ORG, ALICE, ROLE_IDS.slice(2, 50));
    const error = await failure(clientFor(emu).assignMemberRoles(ORG, ALICE, [ROLE_IDS[55] as string]));
    expect(error).toMatchObject({ reason: "too_many_roles", status: 409 });
    expect(exchanges()).toEqual([`POST 409 ${ROLE_IDS[55]}`]);
  });

  it("a verifying read that fails too: the error says both", async () => {
    emu.injectFault({ kind: "drop", method: "POST" });
    emu.injectFault({ kind: "status", status: 500, method: "GET", times: Number.POSITIVE_INFINITY });
    const error = await failure(clientFor(emu).assignMemberRoles(ORG, ALICE, [ROLE]));
    expect(error).toMatchObject({ reason: "server_error", status: 500, method: "POST", path: ROLES_PATH });
    expect(error.message).toMatch(/got no answer, so whether it took effect is unknown/);
    expect(error.message).toMatch(/reading the member's roles to find out failed: GET .* failed \(500/);
    expect(exchanges()).toEqual([`POST 0 ${ROLE}`, ...Array(4).fill("GET 500")]);
  });

  it("cancelled while the outcome is unknown: no read and no write after the cancel", async () => {
    emu.injectFault({ kind: "drop", method: "POST" });
    const controller = new AbortController();
    const client = clientFor(emu, {
      // The unknown outcome is announced here, before the verifying read: cancel then.
      logger: { debug: () => {}, warn: () => controller.abort() },
    });
    const error = await failure(client.assignMemberRoles(ORG, ALICE, [ROLE], { signal: controller.signal }));
    expect(error.reason).toBe("cancelled");
    expect(exchanges()).toEqual([`POST 0 ${ROLE}`]);
  });
});

describe("removing roles when Auth0's answer leaves the outcome unknown", () => {
  it("every DELETE answered 503 after the first applied it: the verifying GET settles it", async () => {
    emu.injectFault({ kind: "after-apply", status: 503, method: "DELETE" });
    emu.injectFault({ kind: "status", status: 503, method: "DELETE", times: Number.POSITIVE_INFINITY });
    await clientFor(emu).removeMemberRoles(ORG, ALICE, [HELD[0] as string]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([HELD[1]]);
    // FAST_RETRY allows 4 attempts of the idempotent DELETE before the outcome counts as unknown.
    expect(exchanges()).toEqual([...Array(4).fill(`DELETE 503 ${HELD[0]}`), "GET 200"]);
  });

  it("a DELETE that never got through: only the roles still held are sent again", async () => {
    emu.injectFault({ kind: "status", status: 503, method: "DELETE", times: 4 });
    await clientFor(emu).removeMemberRoles(ORG, ALICE, [HELD[0] as string, ROLE]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([HELD[1]]);
    expect(exchanges()).toEqual([
      ...Array(4).fill(`DELETE 503 ${HELD[0]},${ROLE}`),
      "GET 200",
      `DELETE 204 ${HELD[0]}`,
    ]);
  });
});
