import { writeFileSync } from "node:fs";
import { memberRolesConfig, terraformDataConfig } from "./support/config";
import { benchSeed, providerEnv, withEmulator } from "./support/tenant";
import { expectExit, initWorkspace, timedApply, timedPlan } from "./support/terraform";
const n = Number(process.argv[2] ?? 100);
withEmulator(benchSeed(n, true), false, async (emu) => {
  const env = providerEnv(emu);
  const ws = await initWorkspace(memberRolesConfig(n));
  const b = await initWorkspace(terraformDataConfig(n));
  expectExit(await timedApply(ws, env), "apply");
  expectExit(await timedApply(b), "apply");
  for (let i = 0; i < 3; i++) {
    const r = await timedPlan(ws, { ...env, TF_LOG: "trace" });
    const q = await timedPlan(b, { TF_LOG: "trace" });
    console.log("ours", r.ms.toFixed(0), "builtin", q.ms.toFixed(0));
    writeFileSync(`/tmp/su/plan-ours-${n}.log`, r.stderr);
    writeFileSync(`/tmp/su/plan-builtin-${n}.log`, q.stderr);
  }
  ws.dispose(); b.dispose();
}).catch((e) => { console.error(e); process.exit(1); });
