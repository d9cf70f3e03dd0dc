import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Auth0RolesProvider } from "auth0-org-member-roles-cdktf";
import { App, TerraformStack } from "cdktf";
import { installedExecutable, providerHashes } from "../../src/distribution/mirror";
import { PROVIDER_SOURCE } from "../../src/provider/startup/provider-names";

describe("provider files at synth", () => {
  let outdir: string;
  beforeEach(() => {
    outdir = mkdtempSync(join(tmpdir(), "provider-files-"));
  });
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  it("lays the provider out and locks it next to every stack of an app, on every synth", () => {
    const app = new App({ outdir });
    for (const name of ["first", "second"]) {
      const stack = new TerraformStack(app, name);
      new Auth0RolesProvider(stack, "auth0", { domain: "example.eu.auth0.com" });
    }
    app.synth();
    app.synth();
    const [h1, zh] = providerHashes();
    for (const name of ["first", "second"]) {
      const stackDir = join(outdir, "stacks", name);
      const lock = readFileSync(join(stackDir, ".terraform.lock.hcl"), "utf8");
      expect(lock).toContain(`provider "${PROVIDER_SOURCE}"`);
      expect(lock).toContain(`"${h1}"`);
      expect(lock).toContain(`"${zh}"`);
      const launcher = installedExecutable(join(stackDir, "terraform.d", "plugins"), "linux_amd64");
      expect(statSync(launcher).mode & 0o111).not.toBe(0);
    }
  });
});
