/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test", "<rootDir>/packages/cdktf/test", "<rootDir>/packages/cdktn/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  // The workspace packages by name, from their sources (as tsconfig.json's paths): tests need no build
  // of them, and the core's shared construct code is loaded once for both.
  moduleNameMapper: {
    "^auth0-org-member-roles$": "<rootDir>/src/index.ts",
    "^auth0-org-member-roles/(constructs|emulator)$": "<rootDir>/src/$1/index.ts",
    "^auth0-org-member-roles-(cdktf|cdktn)$": "<rootDir>/packages/$1/src/index.ts",
  },
  // End-to-end suites start terraform and provider processes; 2 cores run 2 workers well.
  maxWorkers: 2,
  testTimeout: 60000,
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
};
