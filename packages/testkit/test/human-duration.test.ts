// The Age of a Table cell as kubectl shows it: the rows of apimachinery
// pkg/util/duration/duration_test.go TestHumanDuration and TestHumanDurationBoundaries.
import { describe, expect, it } from 'vitest'
import { humanDuration } from '../src/human-duration.js'

const second = 1000
const minute = 60 * second
const hour = 60 * minute
const day = 24 * hour
const year = 365 * day

const rows: { given: number; want: string }[] = [
  { given: second, want: '1s' },
  { given: 70 * second, want: '70s' },
  { given: 190 * second, want: '3m10s' },
  { given: 70 * minute, want: '70m' },
  { given: 47 * hour, want: '47h' },
  { given: 49 * hour, want: '2d1h' },
  { given: 8 * day + 2 * hour, want: '8d' },
  { given: 367 * day, want: '367d' },
  { given: 2 * year + 25 * hour, want: '2y1d' },
  { given: 8 * year + 2 * hour, want: '8y' },
  { given: -2 * second, want: '<invalid>' },
  { given: -2 * second + 0.001, want: '0s' },
  { given: 0, want: '0s' },
  { given: second - 1, want: '0s' },
  { given: 2 * minute - 1, want: '119s' },
  { given: 2 * minute, want: '2m' },
  { given: 2 * minute + second, want: '2m1s' },
  { given: 10 * minute - 1, want: '9m59s' },
  { given: 10 * minute + second, want: '10m' },
  { given: 3 * hour - 1, want: '179m' },
  { given: 3 * hour + minute, want: '3h1m' },
  { given: 8 * hour - 1, want: '7h59m' },
  { given: 8 * hour + 59 * minute, want: '8h' },
  { given: 2 * day - 1, want: '47h' },
  { given: 2 * day, want: '2d' },
  { given: 8 * day - 1, want: '7d23h' },
  { given: 8 * day + 23 * hour, want: '8d' },
  { given: 2 * year - 1, want: '729d' },
  { given: 2 * year, want: '2y' },
  { given: 2 * year + day - 1, want: '2y' },
  { given: 2 * year + day, want: '2y1d' },
  { given: 5 * year, want: '5y' },
]

describe('humanDuration', () => {
  it.each(rows)('$given ms → $want', ({ given, want }) => {
    expect(humanDuration(given)).toBe(want)
  })
})
