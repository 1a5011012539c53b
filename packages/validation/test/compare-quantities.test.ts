import { describe, expect, it } from 'vitest'
import { compareQuantities } from '../src/index.js'

// k8s.io/apimachinery pkg/api/resource: ParseQuantity then Cmp, by value across suffixes.
describe('compareQuantities', () => {
  it.each([
    { given: ['1', '1000m'], want: 0 },
    { given: ['0', '0Gi'], want: 0 },
    { given: ['1Gi', '1G'], want: 1 },
    { given: ['500m', '0.5'], want: 0 },
    { given: ['128Mi', '134217728'], want: 0 },
    { given: ['1e3', '1k'], want: 0 },
    { given: ['100m', '1'], want: -1 },
    { given: ['1x', '1'], want: undefined },
    { given: ['', '0'], want: undefined },
  ])('$given.0 vs $given.1', ({ given: [a = '', b = ''], want }) => {
    expect(compareQuantities(a, b)).toBe(want)
  })
})
