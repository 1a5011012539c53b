import { describe, expect, it } from 'vitest'
import { compareKubeAwareVersions } from '../src/kube-version.js'

// apimachinery pkg/version/helpers_test.go TestCompareKubeAwareVersionStrings, row for row
// (expectedGreater: the first ranks above the second), plus the equal case.
const rows: { given: [string, string]; want: boolean }[] = [
  { given: ['v1', 'v2'], want: false },
  { given: ['v2', 'v1'], want: true },
  { given: ['v10', 'v2'], want: true },
  { given: ['v1', 'v2alpha1'], want: true },
  { given: ['v1', 'v2beta1'], want: true },
  { given: ['v1alpha2', 'v1alpha1'], want: true },
  { given: ['v1beta1', 'v2alpha3'], want: true },
  { given: ['v1alpha10', 'v1alpha2'], want: true },
  { given: ['v1beta10', 'v1beta2'], want: true },
  { given: ['foo', 'v1beta2'], want: false },
  { given: ['bar', 'foo'], want: true },
  { given: ['version1', 'version2'], want: true },
  { given: ['version1', 'version10'], want: true },
  // Test_parseKubeVersion: 'v1.1' and 'v1alpha1.1' are not Kubernetes-like versions.
  { given: ['v1.1', 'v1alpha1'], want: false },
  { given: ['v1alpha1.1', 'v1alpha1'], want: false },
]

describe('compareKubeAwareVersions', () => {
  it.each(rows)('$given ranks above: $want', ({ given: [a, b], want }) => {
    expect(compareKubeAwareVersions(a, b) > 0).toBe(want)
    // Antisymmetric, as a comparator for sort must be.
    expect(compareKubeAwareVersions(b, a) > 0).toBe(!want)
  })

  it('is 0 for equal versions and sorts a group as discovery lists it', () => {
    expect(compareKubeAwareVersions('v1beta1', 'v1beta1')).toBe(0)
    expect(
      ['v1alpha1', 'foo', 'v1', 'v1beta2', 'v2', 'v1beta1', 'bar'].sort((a, b) =>
        compareKubeAwareVersions(b, a),
      ),
    ).toEqual(['v2', 'v1', 'v1beta2', 'v1beta1', 'v1alpha1', 'bar', 'foo'])
  })
})
