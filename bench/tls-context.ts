/**
 * What a TLS server context costs a fresh Node.js process, by how its trust store is given: the
 * measurement behind src/provider/plugin/listener.ts. Each sample is a new `node` process in a clean
 * environment (PATH and HOME only) that loads `tls` and then times one `tls.createSecureContext` with
 * the provider's kind of certificate and key; the variants run interleaved, in rotating order.
 *
 * Run: `npm run bench:tls-context` (option: `--runs 30`).
 */
import { spawnSync } from "node:child_process";
import { generateSelfSignedCertificate } from "../src/tls/self-signed-cert";
import { median, parseBenchArgs, table } from "./support/report";

const args = parseBenchArgs({ sizes: [], runs: 30 });

const VARIANTS = {
  "`ca`: the client certificate (what grpc-js's createSsl passes)": "ca: [cert]",
  "no `ca` (Node's default roots)": "",
  "`ca: []` (empty trust store: what the provider does)": "ca: []",
} as const;

function sampleMs(caOption: string, certPem: string, keyPem: string): number {
  const script = `
    const tls = require("node:tls");
    const { performance } = require("node:perf_hooks");
    const cert = process.env.CERT, key = process.env.KEY;
    const started = performance.now();
    tls.createSecureContext({ cert, key, ${caOption} });
    process.stdout.write(String(performance.now() - started));`;
  const run = spawnSync(process.execPath, ["-e", script], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CERT: certPem, KEY: keyPem },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`node exited ${run.status}: ${run.stderr}`);
  return Number(run.stdout);
}

function main(): void {
  const { certPem, keyPem } = generateSelfSignedCertificate();
  const names = Object.keys(VARIANTS) as (keyof typeof VARIANTS)[];
  const samples = new Map(names.map((name) => [name, [] as number[]]));
  for (let i = 0; i < args.runs; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length] as keyof typeof VARIANTS;
      samples.get(name)?.push(sampleMs(VARIANTS[name], certPem, keyPem));
    }
  }
  console.log(
    `${args.runs} fresh processes per variant, clean environment, node ${process.version}\n\n${table(
      ["trust store of the server context", "tls.createSecureContext ms (median)"],
      names.map((name) => [name, median(samples.get(name) ?? []).toFixed(1)]),
    )}`,
  );
}

main();
