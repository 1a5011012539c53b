import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareKubeVersions, groupVersionOf, keyOf } from '../src/group-version.js'

describe('groupVersionOf', () => {
  it.each([
    { given: 'api/v1', want: { key: 'api/v1', group: '', version: 'v1' } },
    { given: 'apis/apps/v1', want: { key: 'apis/apps/v1', group: 'apps', version: 'v1' } },
    {
      given: 'apis/networking.k8s.io/v1alpha1',
      want: {
        key: 'apis/networking.k8s.io/v1alpha1',
        group: 'networking.k8s.io',
        version: 'v1alpha1',
      },
    },
    { given: 'apis', want: undefined },
    { given: 'apis/apps', want: undefined },
    { given: 'version', want: undefined },
    { given: '.well-known/openid-configuration', want: undefined },
    { given: 'apis/Apps/v1', want: undefined },
    { given: 'apis/a/b/c', want: undefined },
  ])('$given → $want', ({ given, want }) => {
    expect(groupVersionOf(given)).toEqual(want)
  })
})

describe('compareKubeVersions (apimachinery CompareKubeAwareVersionStrings order)', () => {
  it.each([
    {
      given: ['v1alpha1', 'v1', 'foo', 'v2beta1', 'v1beta2', 'v2', 'v1beta1', 'v11alpha2', 'bar'],
      want: ['v2', 'v1', 'v2beta1', 'v1beta2', 'v1beta1', 'v11alpha2', 'v1alpha1', 'bar', 'foo'],
    },
  ])('sorts $given', ({ given, want }) => {
    expect([...given].sort(compareKubeVersions)).toEqual(want)
  })
})

describe('keyOf / groupVersionOf round trip', () => {
  it('parses back every key it builds from a DNS group and a Kubernetes version', () => {
    const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?$/)
    const group = fc.oneof(
      fc.constant(''),
      fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.')),
    )
    const version = fc
      .tuple(
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom('', 'alpha', 'beta'),
        fc.integer({ min: 1, max: 9 }),
      )
      .map(
        ([major, stability, minor]) => `v${major}${stability === '' ? '' : `${stability}${minor}`}`,
      )
    fc.assert(
      fc.property(group, version, (g, v) => {
        expect(groupVersionOf(keyOf(g, v))).toEqual({ key: keyOf(g, v), group: g, version: v })
      }),
    )
  })
})
