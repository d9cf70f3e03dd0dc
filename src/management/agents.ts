import http from "node:http";
import https from "node:https";

/**
 * How long an idle kept-alive socket stays open when the server gives no `Keep-Alive: timeout=N`
 * hint. With a hint, Node's agent closes it a second before the hint instead, but Node 20 honours the
 * hint only when the agent has a timeout of its own: without one, idle sockets wait for the server
 * to close them, and a request sent just as it does meets a reset (the keep-alive race).
 */
export const IDLE_SOCKET_TIMEOUT_MS = 30_000;

/** Agents that reuse connections (one plan or apply makes many calls to the same host). */
export function keepAliveAgents(): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  const options = { keepAlive: true, timeout: IDLE_SOCKET_TIMEOUT_MS };
  return { httpAgent: new http.Agent(options), httpsAgent: new https.Agent(options) };
}
