// Reads a test runner's JSON report and prints "passed failed skipped" for .ci/run to add up.
import { readFileSync } from "node:fs";

const [kind, file] = process.argv.slice(2);
const report = JSON.parse(readFileSync(file, "utf8"));
let passed = 0;
let failed = 0;
let skipped = 0;

if (kind === "vitest") {
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A test file that failed to load or whose hooks threw has no failed test of its own: count the file.
  for (const file of report.testResults ?? []) {
    const ownFailures = (file.assertionResults ?? []).filter((a) => a.status === "failed").length;
    if (file.status === "failed" && ownFailures === 0) failed += 1;
  }
} else if (kind === "playwright") {
  const stats = report.stats ?? {};
  passed = (stats.expected ?? 0) + (stats.flaky ?? 0);
  failed = stats.unexpected ?? 0;
  skipped = stats.skipped ?? 0;
  // Errors outside tests (global setup, the web server, a file that does not compile).
  failed += (report.errors ?? []).length;
} else {
  throw new Error(`unknown report kind ${kind}`);
}
console.log(`${passed} ${failed} ${skipped}`);
