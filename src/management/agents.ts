import http from "node:http";
import https from "node:https";
import { trustedRoots } from "./trusted-roots";

/**
 * How long an idle kept-alive socket stays open when the server gives no `Keep-Alive: timeout=N`
 * hint. With a hint, Node's agent closes it a second before the hint instead, but Node 20 honours the
 * hint only when the agent has a timeout of its own: without one, idle sockets wait for the server
 * to close them, and a request sent just as it does meets a reset (the keep-alive race).
 */
export const IDLE_SOCKET_TIMEOUT_MS = 30_000;

/**
 * Agents that reuse connections (one plan or apply makes many calls to the same host); HTTPS trusts
 * trustedRoots(env).
 */
export function keepAliveAgents(env: NodeJS.ProcessEnv = process.env): {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
} {
  const options = { keepAlive: true, timeout: IDLE_SOCKET_TIMEOUT_MS };
  const ca = trustedRoots(env);
  return {
    httpAgent: new http.Agent(options),
    httpsAgent: new https.Agent(ca === undefined ? options : { ...options, ca }),
  };
}
