import { execFile } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { terraformSchemaJson } from "../../src/provider/schema-json";

// The built CLI, as a user runs it (`npm test` builds before jest).
const CLI = resolve(__dirname, "../../bin/auth0-member-roles");

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(CLI, args, { env: { ...process.env, CHECKPOINT_DISABLE: "1" } }, (error, stdout, stderr) =>
      done({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr }),
    );
  });
}

describe("auth0-member-roles CLI", () => {
  test("schema prints the provider schema in the shape of `terraform providers schema -json`", async () => {
    const { code, stdout } = await cli("schema");
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    expect(printed).toEqual(terraformSchemaJson());
    const resource =
      printed.provider_schemas["terraform.local/rolesascode/auth0roles"].resource_schemas
        .auth0roles_organization_member_roles;
    expect(resource.block.attributes.roles.type).toEqual(["set", "string"]);
    expect(
      printed.provider_schemas["terraform.local/rolesascode/auth0roles"].provider.block.attributes
        .client_secret.sensitive,
    ).toBe(true);
  });

  test("install lays out an executable provider in a plugin mirror and prints how to use it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "auth0roles-cli-"));
    try {
      const { code, stdout } = await cli("install", "--dir", dir);
      expect(code).toBe(0);
      const executable = join(
        dir,
        "terraform.local/rolesascode/auth0roles/0.1.0",
        `${process.platform === "linux" ? "linux" : process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`,
        "terraform-provider-auth0roles",
      );
      accessSync(executable, constants.X_OK);
      expect(readFileSync(executable, "utf8")).toContain("provider");
      expect(stdout).toContain('source = "terraform.local/rolesascode/auth0roles"');
      expect(stdout).toContain(`path    = "${dir}"`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an unknown command exits 2 with the usage", async () => {
    const { code, stderr } = await cli("deploy");
    expect(code).toBe(2);
    expect(stderr).toContain('Unknown command "deploy"');
    expect(stderr).toContain("Usage: auth0-member-roles");
  });
});
