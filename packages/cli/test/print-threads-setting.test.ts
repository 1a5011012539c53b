import { afterEach, describe, expect, it } from 'vitest'

import { printThreads } from '../src/print-threads.js'

// `K8S_CODEGEN_THREADS` sets how many threads print a generation; a value that is not a count is
// a usage error naming the variable, never silently the automatic choice. From the sources there
// is no compiled worker, so a valid count prints on the run's own thread.
const saved = process.env.K8S_CODEGEN_THREADS
afterEach(() => {
  if (saved === undefined) delete process.env.K8S_CODEGEN_THREADS
  else process.env.K8S_CODEGEN_THREADS = saved
})

describe('K8S_CODEGEN_THREADS', () => {
  const rows: { given: string | undefined; want: number | RegExp }[] = [
    { given: undefined, want: 1 },
    { given: '', want: 1 },
    { given: '1', want: 1 },
    { given: '2', want: 1 },
    {
      given: '0',
      want: /K8S_CODEGEN_THREADS must be a whole number of threads from 1 to 999, not "0"/,
    },
    { given: 'two', want: /not "two"/ },
    { given: '2 ', want: /not "2 "/ },
    { given: '-1', want: /not "-1"/ },
    { given: '1.5', want: /not "1.5"/ },
    { given: '1000', want: /not "1000"/ },
  ]
  it.each(rows)('$given', ({ given, want }) => {
    if (given === undefined) delete process.env.K8S_CODEGEN_THREADS
    else process.env.K8S_CODEGEN_THREADS = given
    if (typeof want === 'number') expect(printThreads(433, 0)).toBe(want)
    else
      expect(() => printThreads(433, 0)).toThrow(
        expect.objectContaining({
          code: 'K8S_CODEGEN_CLI_USAGE',
          message: expect.stringMatching(want) as string,
        }),
      )
  })
})
