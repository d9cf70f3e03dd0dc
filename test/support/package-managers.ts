import { homedir } from "node:os";
import { join } from "node:path";
import { REPO } from "./packed-app";

/**
 * The package managers users install with, each from this repository's pinned devDependencies and
 * run by path (never through corepack, which would download them). Caches live under
 * node_modules/.cache, so a second run installs from them; npm uses this machine's npm cache,
 * which the repository's own `npm ci` warmed.
 */
export interface PackageManager {
  readonly name: string;
  readonly command: readonly string[];
  readonly install: readonly string[];
  /** The package.json field that pins a transitive dependency to a tarball (the core, unpublished here). */
  readonly pin: (spec: Readonly<Record<string, string>>) => Record<string, unknown>;
  readonly env: Readonly<Record<string, string>>;
}

// How this machine reaches the registry (a proxy, its CA), for the managers that fetch what their
// cache lacks; userEnv keeps nothing else of this machine's environment.
const REGISTRY_ACCESS = Object.fromEntries(
  [
    "NODE_EXTRA_CA_CERTS",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
  ].flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name] as string]])),
);

const cache = (name: string) => join(REPO, "node_modules", ".cache", name);
const bin = (...path: string[]) => ["node", join(REPO, "node_modules", ...path)];

export const PACKAGE_MANAGERS: readonly PackageManager[] = [
  {
    name: "npm",
    command: ["npm"],
    install: ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
    pin: (spec) => ({ overrides: spec }),
    env: { ...REGISTRY_ACCESS, npm_config_cache: process.env.npm_config_cache ?? join(homedir(), ".npm") },
  },
  {
    name: "pnpm 10",
    command: bin("pnpm", "bin", "pnpm.cjs"),
    install: ["install", "--prefer-offline", "--reporter=append-only"],
    pin: (spec) => ({ pnpm: { overrides: spec } }),
    env: {
      ...REGISTRY_ACCESS,
      npm_config_store_dir: cache("pnpm-store"),
      npm_config_update_notifier: "false",
    },
  },
  {
    name: "yarn 1",
    command: bin("yarn", "bin", "yarn.js"),
    install: ["install", "--prefer-offline", "--non-interactive", "--no-progress", "--silent"],
    pin: (spec) => ({ resolutions: spec }),
    env: { ...REGISTRY_ACCESS, YARN_CACHE_FOLDER: cache("yarn1") },
  },
  {
    name: "yarn 4",
    command: bin("@yarnpkg", "cli-dist", "bin", "yarn.js"),
    install: ["install"],
    pin: (spec) => ({ resolutions: spec }),
    env: {
      ...REGISTRY_ACCESS,
      YARN_GLOBAL_FOLDER: cache("yarn4"),
      YARN_ENABLE_TELEMETRY: "0",
      YARN_ENABLE_IMMUTABLE_INSTALLS: "false",
      YARN_ENABLE_PROGRESS_BARS: "false",
      YARN_ENABLE_GLOBAL_CACHE: "true",
    },
  },
];
