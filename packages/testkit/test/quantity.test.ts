import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalQuantity } from '../src/quantity.js'

// k8s.io/apimachinery pkg/api/resource/quantity_test.go TestQuantityString: each row's expected
// text, and the alternate text that parses to the same quantity, as kube-apiserver writes them.
const upstream: { given: string; want: string }[] = [
  ['1Gi', '1Gi'],
  ['1024Mi', '1Gi'],
  ['300Mi', '300Mi'],
  ['307200Ki', '300Mi'],
  ['6Ki', '6Ki'],
  ['1001Gi', '1001Gi'],
  ['1025024Mi', '1001Gi'],
  ['1024Gi', '1Ti'],
  ['5', '5'],
  ['5000m', '5'],
  ['0.5', '500m'],
  ['1G', '1G'],
  ['1000M', '1G'],
  ['0.001T', '1G'],
  ['1000000000', '1G'],
  ['1m', '1m'],
  ['1000u', '1m'],
  ['80m', '80m'],
  ['1.08', '1080m'],
  ['1080000000n', '1080m'],
  ['300M', '300M'],
  ['1234567M', '1234567M'],
  ['3k', '3k'],
  ['1e9', '1e9'],
  ['.001e12', '1e9'],
  ['1e-3', '1e-3'],
  ['0.001e0', '1e-3'],
  ['1000e-12', '1e-9'],
  ['80e-3', '80e-3'],
  ['300e6', '300e6'],
  ['00', '0'],
  ['1n', '1n'],
].map(([given = '', want = '']) => ({ given, want }))

describe('canonicalQuantity', () => {
  it.each(upstream)('$given is written $want', ({ given, want }) => {
    expect(canonicalQuantity(given)).toBe(want)
  })

  // SetDefaults_ResourceList: RoundUp(-3), away from zero.
  it.each([
    { given: '0.0001', want: '1m' },
    { given: '1.0001', want: '1001m' },
    { given: '100u', want: '1m' },
    { given: '2.5Gi', want: '2560Mi' },
    { given: '0.5Ki', want: '512' },
    { given: '1', want: '1' },
  ])('in a resource list $given is written $want', ({ given, want }) => {
    expect(canonicalQuantity(given, { roundUp: true })).toBe(want)
  })

  it.each(['', 'abc', '1Kb', '1.2.3', '--1', '1e'])('%j is no quantity', (given) => {
    expect(canonicalQuantity(given)).toBeUndefined()
  })

  it('writes a fixed point that keeps the value', () => {
    const suffixes = ['', 'm', 'k', 'M', 'G', 'Ki', 'Mi', 'Gi', 'e3', 'e-3']
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(...suffixes),
        (digits, decimals, suffix) => {
          const text = `${(digits / 10 ** decimals).toFixed(decimals)}${suffix}`
          const written = canonicalQuantity(text)
          expect(written).toBeDefined()
          expect(canonicalQuantity(written ?? '')).toBe(written)
          const [was, is] = [valueOf(text), valueOf(written ?? '')]
          expect(Math.abs(is - was)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(was)))
        },
      ),
    )
  })
})

// A model of a quantity's value as a float: the number times its suffix's multiplier.
function valueOf(text: string): number {
  const match = /^([\d.]+)(.*)$/.exec(text)
  const number = Number(match?.[1])
  const suffix = match?.[2] ?? ''
  const multipliers: Record<string, number> = {
    '': 1,
    n: 1e-9,
    u: 1e-6,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
  }
  const multiplier = suffix.startsWith('e') ? 10 ** Number(suffix.slice(1)) : multipliers[suffix]
  return number * (multiplier ?? Number.NaN)
}
