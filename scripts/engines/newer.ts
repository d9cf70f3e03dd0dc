import { execFileSync } from "node:child_process";
import { ENGINES } from "./manifest";

/**
 * Newer 1.x versions of each pinned module that the Go module proxy lists and serves a zip for (a
 * listed version may still answer 403 for its zip, as Terraform 1.17 does), one line per module.
 */
export async function newerServed(): Promise<string[]> {
  const proxy = (process.env.GOPROXY ?? "https://proxy.golang.org").split(/[,|]/)[0] ?? "";
  const lines: string[] = [];
  for (const module of new Set(ENGINES.map((e) => e.module))) {
    const pinned = ENGINES.filter((e) => e.module === module).map((e) => e.version);
    const newest = pinned.sort(compareVersions).at(-1) ?? "0.0.0";
    const listed = JSON.parse(
      execFileSync("go", ["list", "-m", "-versions", "-json", `${module}@latest`], {
        encoding: "utf8",
      }),
    ) as { Versions?: string[] };
    const candidates = (listed.Versions ?? [])
      .map((v) => v.slice(1))
      .filter((v) => /^1\.\d+\.\d+$/.test(v) && compareVersions(v, newest) > 0);
    const served: string[] = [];
    for (const v of candidates) {
      const response = await fetch(`${proxy}/${escapeModule(module)}/@v/v${v}.zip`, { method: "HEAD" });
      if (response.ok) served.push(v);
    }
    lines.push(
      served.length > 0
        ? `engines: ${module} has newer versions with a zip on the proxy: ${served.join(", ")} (pinned ${newest})`
        : `engines: ${module} ${newest} is the newest 1.x the proxy serves a zip for`,
    );
  }
  return lines;
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) {
    const d = (x?.[i] ?? 0) - (y?.[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The proxy's case encoding: an upper-case letter becomes "!" and its lower case. */
const escapeModule = (module: string) => module.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
