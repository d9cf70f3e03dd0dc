import type { Emulator } from "../../src/emulator";
import type { ManagementClient } from "../../src/management";
import { operationSignal } from "../../src/management/deadline";
import { ALICE, apiRequests, clientFor, failure, ORG, ROLE_IDS, useTestEmulator } from "./fixtures";

// One deadline per operation (for the provider: one Terraform RPC), shared by all of its calls and
// their retries, instead of a fresh one per HTTP call.

let emu: Emulator;
useTestEmulator((started) => {
  emu = started;
});

const ROLE = ROLE_IDS[10] as string;
const SETTING = "operation_timeout";

/**
 * A client that already holds its token, and an emulator that logged nothing yet: the deadline then
 * starts at the call, not at a token request a loaded machine may take long to answer.
 */
async function warm(overrides: Parameters<typeof clientFor>[1] = {}): Promise<ManagementClient> {
  const client = clientFor(emu, overrides);
  await client.listMemberRoles(ORG, ALICE);
  emu.clearRequests();
  return client;
}

describe("an operation's deadline", () => {
  it("stops a call Auth0 never answers, and says which deadline and where it was", async () => {
    const client = await warm();
    emu.injectFault({ kind: "hang", method: "GET" });
    const signal = operationSignal(1_000, { setting: SETTING });
    const error = await failure(client.listMemberRoles(ORG, ALICE, { signal }));
    expect(error).toMatchObject({ reason: "deadline_exceeded", method: "GET", status: undefined });
    expect(error.message).toMatch(
      /gave up after 1 attempt over .* because Auth0 had not answered when the operation's 1\.0 s deadline \(operation_timeout\) passed/,
    );
    expect(apiRequests(emu)).toHaveLength(1);
  });

  it("is shared: once one call spent it, the next call of the operation sends nothing", async () => {
    const client = await warm();
    emu.injectFault({ kind: "hang", method: "GET" });
    const signal = operationSignal(1_000, { setting: SETTING });
    await failure(client.listMemberRoles(ORG, ALICE, { signal }));
    const error = await failure(client.assignMemberRoles(ORG, ALICE, [ROLE], { signal }));
    expect(error.reason).toBe("deadline_exceeded");
    expect(error.message).toMatch(
      /POST .* was not sent: the operation's 1\.0 s deadline \(operation_timeout\) passed/,
    );
    expect(apiRequests(emu, "POST")).toHaveLength(0);
  });

  it("binds before the call's own, longer deadline", async () => {
    const client = await warm({ retry: { deadlineMs: 120_000 } });
    emu.injectFault({ kind: "hang", method: "DELETE" });
    const signal = operationSignal(1_000);
    const error = await failure(client.removeMemberRoles(ORG, ALICE, [ROLE], { signal }));
    expect(error.message).toMatch(/Auth0 had not answered when the operation's 1\.0 s deadline passed/);
  });

  it("a 429 asking for longer than the time left fails at once, without sleeping to the deadline", async () => {
    const client = await warm();
    emu.injectFault({ kind: "rate-limit", times: Number.POSITIVE_INFINITY, retryAfterSeconds: 30 });
    const signal = operationSignal(5_000, { setting: SETTING });
    const error = await failure(client.listMemberRoles(ORG, ALICE, { signal }));
    // Decided on the answer: the operation still had time left when the call gave up.
    expect(signal.aborted).toBe(false);
    expect(error.reason).toBe("deadline_exceeded");
    expect(error.message).toMatch(
      /the last attempt got 429 Too Many Requests and the next one could only start in 3\d s, past the operation's 5\.0 s deadline \(operation_timeout\)/,
    );
    expect(error.message).toMatch(/Auth0 answered 429 Too Many Requests 1 time\./);
    expect(error.message).toMatch(/other clients of the tenant share it/);
    expect(error.message).not.toMatch(/parallelism/);
    expect(apiRequests(emu)).toHaveLength(1);
  });

  it("a stop (the parent signal) is a cancellation, not a deadline", async () => {
    emu.injectFault({ kind: "hang", method: "GET" });
    const stop = new AbortController();
    const signal = operationSignal(60_000, { parent: stop.signal, setting: SETTING });
    const pending = failure(clientFor(emu).listMemberRoles(ORG, ALICE, { signal }));
    while (apiRequests(emu).length === 0) await new Promise((resolve) => setImmediate(resolve));
    stop.abort();
    expect((await pending).reason).toBe("cancelled");
  });
});
