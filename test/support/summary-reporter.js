// @ts-check
const { writeFileSync } = require("node:fs");

/**
 * Ends every jest run with one plain line, `N passed, N failed, N skipped`, the closing line CI
 * tools read in any language (jest's own summary has another shape). Under `npm test`, which runs
 * jest once per engine, the counts go to AUTH0ROLES_SUMMARY_FILE instead, and scripts/test.ts prints
 * one line for all runs together.
 */
class SummaryReporter {
  /** @param {unknown} _contexts @param {{ numPassedTests: number, numFailedTests: number, numPendingTests: number, numTodoTests: number }} results */
  onRunComplete(_contexts, results) {
    const counts = {
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    const file = process.env.AUTH0ROLES_SUMMARY_FILE;
    if (file) writeFileSync(file, JSON.stringify(counts));
    else
      process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}

module.exports = SummaryReporter;
