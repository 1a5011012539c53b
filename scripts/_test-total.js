// The total of `npm test` across workspaces: turbo runs each package's vitest separately, and
// each writes a vitest JSON report (its `test` script: `--reporter=json --outputFile.json=…`).

/**
 * The part of a vitest JSON report (`--reporter=json`) the total reads.
 *
 * @typedef {{
 *   numPassedTests: number
 *   numFailedTests: number
 *   numPendingTests: number
 *   numTodoTests: number
 *   testResults: { name: string, status: string, assertionResults: { status: string }[] }[]
 * }} VitestReport
 */

/** Where a workspace's `test` script writes its vitest JSON report, relative to the workspace. */
export const REPORT_PATH = 'node_modules/.cache/test-report.json'

/**
 * Sums vitest JSON reports into the last line of `npm test`: `N passed, N failed` and, when
 * any, `, N skipped`. A test file that failed without a failed test (it did not load) counts as
 * one failed test, and so does a workspace whose report is missing (its tests never ran), each
 * named in `notes`.
 *
 * @example
 * testTotal(new Map([['a', { numPassedTests: 3, numFailedTests: 0, numPendingTests: 1, numTodoTests: 0, testResults: [] }]]))
 * // { line: '3 passed, 0 failed, 1 skipped', failed: 0, notes: [] }
 *
 * @param {Map<string, VitestReport | undefined>} reports by workspace name
 * @returns {{ line: string, failed: number, notes: string[] }}
 */
export function testTotal(reports) {
  let passed = 0
  let failed = 0
  let skipped = 0
  const notes = []
  for (const [workspace, report] of reports) {
    if (report === undefined) {
      failed += 1
      notes.push(`${workspace}: no test report (its tests did not run)`)
      continue
    }
    passed += report.numPassedTests
    failed += report.numFailedTests
    skipped += report.numPendingTests + report.numTodoTests
    for (const file of report.testResults) {
      const failedTests = file.assertionResults.filter((a) => a.status === 'failed').length
      if (file.status === 'failed' && failedTests === 0) {
        failed += 1
        notes.push(`${workspace}: ${file.name} failed without a failed test (it did not load)`)
      }
    }
  }
  const line = `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`
  return { line, failed, notes }
}
