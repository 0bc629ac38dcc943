// Records the plain closing line CI prints: `N passed, N failed` (see .ci/run).
// A suite that fails to run (syntax error, failing hook) counts as a failure too.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const dir = join(__dirname, '..', '..', '.test-tmp');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'summary.txt'), `${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
module.exports = SummaryReporter;
