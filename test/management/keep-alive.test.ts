import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Emulator } from "../../src/emulator";
import { IDLE_SOCKET_TIMEOUT_MS, keepAliveAgents } from "../../src/management/agents";
import { useTestEmulator } from "./fixtures";

// The keep-alive race: a server closes an idle kept-alive socket just as the client reuses it, and
// the request meets a reset. The emulator, like any Node server, announces `Keep-Alive: timeout=5`.

let emu: Emulator;
useTestEmulator((started) => {
  emu = started;
});

/** One request through `agent`: the server's Keep-Alive header, and the idle timeout of the socket left. */
async function afterOneRequest(
  url: string,
  agent: http.Agent,
): Promise<{ hint: string | undefined; idleTimeout: number | undefined }> {
  try {
    const hint = await new Promise<string | undefined>((resolve, reject) => {
      http
        .get(url, { agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.headers["keep-alive"] as string | undefined));
        })
        .on("error", reject);
    });
    // The socket goes back to the free list once the response has been read.
    await new Promise((resolve) => setImmediate(resolve));
    const free = Object.values(agent.freeSockets).flat();
    expect(free).toHaveLength(1);
    return { hint, idleTimeout: free[0]?.timeout };
  } finally {
    agent.destroy();
  }
}

it("the client's agent closes an idle socket a second before the server's Keep-Alive hint", async () => {
  const seen = await afterOneRequest(`${emu.url}/api/v2/roles`, keepAliveAgents().httpAgent);
  expect(seen).toEqual({ hint: "timeout=5", idleTimeout: 4_000 });
});

it("a plain keep-alive agent ignores the hint (why the client's agent has a timeout of its own)", async () => {
  const seen = await afterOneRequest(`${emu.url}/api/v2/roles`, new http.Agent({ keepAlive: true }));
  expect(seen.hint).toBe("timeout=5");
  expect(seen.idleTimeout ?? 0).toBe(0);
});

it("without a hint, idle sockets close after IDLE_SOCKET_TIMEOUT_MS", async () => {
  const server = http.createServer((_req, res) => res.end("ok"));
  server.keepAliveTimeout = 0; // no idle timer, so no Keep-Alive header
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const seen = await afterOneRequest(`http://127.0.0.1:${port}/`, keepAliveAgents().httpAgent);
    expect(seen).toEqual({ hint: undefined, idleTimeout: IDLE_SOCKET_TIMEOUT_MS });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
