// @ts-check
/**
 * Ends every jest run with one plain line, `N passed, N failed, N skipped`, the closing line CI
 * tools read in any language (jest's own summary has another shape).
 */
class SummaryReporter {
  /** @param {unknown} _contexts @param {{ numPassedTests: number, numFailedTests: number, numPendingTests: number, numTodoTests: number }} results */
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      `\n${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`,
    );
  }
}

module.exports = SummaryReporter;
