// The last line of `npm test`: the total of every workspace's vitest JSON report.
import { describe, expect, it } from 'vitest'

import { testTotal } from '../../../scripts/_test-total.js'

type Report = Parameters<typeof testTotal>[0] extends Map<string, infer R> ? R : never

const report = (
  counts: { passed?: number; failed?: number; pending?: number; todo?: number },
  files: { name: string; status: 'passed' | 'failed'; failedTests?: number }[] = [],
): Report => ({
  numPassedTests: counts.passed ?? 0,
  numFailedTests: counts.failed ?? 0,
  numPendingTests: counts.pending ?? 0,
  numTodoTests: counts.todo ?? 0,
  testResults: files.map((f) => ({
    name: f.name,
    status: f.status,
    assertionResults: Array.from({ length: f.failedTests ?? 0 }, () => ({ status: 'failed' })),
  })),
})

describe('testTotal', () => {
  it.each<{ given: [string, Report | undefined][]; want: { line: string; notes: string[] } }>([
    {
      given: [
        ['a', report({ passed: 3 })],
        ['b', report({ passed: 4 })],
      ],
      want: { line: '7 passed, 0 failed', notes: [] },
    },
    {
      given: [
        ['a', report({ passed: 3, pending: 2, todo: 1 })],
        [
          'b',
          report({ passed: 1, failed: 2 }, [
            { name: 'x.test.ts', status: 'failed', failedTests: 2 },
          ]),
        ],
      ],
      want: { line: '4 passed, 2 failed, 3 skipped', notes: [] },
    },
    {
      given: [['a', report({ passed: 5 }, [{ name: 'broken.test.ts', status: 'failed' }])]],
      want: {
        line: '5 passed, 1 failed',
        notes: ['a: broken.test.ts failed without a failed test (it did not load)'],
      },
    },
    {
      given: [
        ['a', report({ passed: 5 })],
        ['b', undefined],
      ],
      want: { line: '5 passed, 1 failed', notes: ['b: no test report (its tests did not run)'] },
    },
  ])('$want.line', ({ given, want }) => {
    const total = testTotal(new Map(given))
    expect({ line: total.line, notes: total.notes }).toEqual(want)
    expect(total.line).toMatch(/^\d+ passed, \d+ failed(, \d+ skipped)?$/)
    expect(total.failed > 0).toBe(/ [1-9]\d* failed/.test(total.line))
  })
})
