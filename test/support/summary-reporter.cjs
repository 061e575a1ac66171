// Writes the run's totals so .ci/run can print "N passed, N failed".
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests,
    };
    const file = process.env.TEST_SUMMARY_FILE || path.join(process.cwd(), '.test-summary.json');
    fs.writeFileSync(file, JSON.stringify(summary));
  }
}
module.exports = SummaryReporter;
