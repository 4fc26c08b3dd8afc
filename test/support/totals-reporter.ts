import type { Reporter, TestModule } from 'vitest/node'

/**
 * Ends every run with one plain line, `N passed, M failed`, which CI reads. Skipped tests are
 * counted separately so that they never pass for green.
 */
export default class TotalsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    let passed = 0
    let failed = 0
    let skipped = 0

    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') failed++
        else skipped++
      }
      // A file that failed to load has no tests to count; it still counts as a failure.
      if (module.state() === 'failed' && ![...module.children.allTests()].length) failed++
    }
    failed += unhandledErrors.length

    const tail = skipped ? `, ${skipped} skipped` : ''
    process.stdout.write(`\n${passed} passed, ${failed} failed${tail}\n`)
  }
}
