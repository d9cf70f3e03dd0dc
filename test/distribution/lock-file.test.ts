import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mergeLockEntry, writeLockEntry } from "../../src/distribution/lock-file";

// A lock file as terraform init writes it, with two registry providers around where ours sorts.
const EXISTING = `# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/random" {
  version     = "3.6.0"
  constraints = "~> 3.6"
  hashes = [
    "h1:random=",
    "zh:0001",
  ]
}

provider "terraform.local/rolesascode/auth0roles" {
  version     = "0.0.9"
  constraints = "0.0.9"
  hashes = [
    "h1:old=",
  ]
}

provider "tf.example.com/team/zeta" {
  version = "1.0.0"
  hashes = [
    "h1:zeta=",
  ]
}
`;

const ENTRY = {
  source: "terraform.local/rolesascode/auth0roles",
  version: "0.1.0",
  constraints: "0.1.0",
  hashes: ["zh:ff00", "h1:new="],
};

describe("lock file entries", () => {
  it("replaces this provider's block and keeps every other provider's block as it was", () => {
    expect(mergeLockEntry(EXISTING, ENTRY)).toBe(`# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/random" {
  version     = "3.6.0"
  constraints = "~> 3.6"
  hashes = [
    "h1:random=",
    "zh:0001",
  ]
}

provider "terraform.local/rolesascode/auth0roles" {
  version     = "0.1.0"
  constraints = "0.1.0"
  hashes = [
    "h1:new=",
    "zh:ff00",
  ]
}

provider "tf.example.com/team/zeta" {
  version = "1.0.0"
  hashes = [
    "h1:zeta=",
  ]
}
`);
  });

  it("writes a new lock file with Terraform's header, and leaves an up-to-date one untouched", () => {
    const dir = mkdtempSync(join(tmpdir(), "lock-file-"));
    try {
      const file = join(dir, ".terraform.lock.hcl");
      writeLockEntry(file, ENTRY);
      const written = readFileSync(file, "utf8");
      expect(written.startsWith('# This file is maintained automatically by "terraform init".\n')).toBe(true);
      expect(mergeLockEntry(written, ENTRY)).toBe(written);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a damaged lock file with its path and line instead of dropping what it holds", () => {
    const dir = mkdtempSync(join(tmpdir(), "lock-file-"));
    try {
      const file = join(dir, ".terraform.lock.hcl");
      const damaged = `${EXISTING}\nstray text\n`;
      writeFileSync(file, damaged);
      expect(() => writeLockEntry(file, ENTRY)).toThrow(
        `${file}:28: expected a provider block, found "stray text". Fix or delete the lock file and run this again.`,
      );
      writeFileSync(file, EXISTING.slice(0, -3));
      expect(() => writeLockEntry(file, ENTRY)).toThrow("a provider block is not closed");
      expect(readFileSync(file, "utf8")).toBe(EXISTING.slice(0, -3));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
