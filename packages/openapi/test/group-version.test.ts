import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { OpenApiError } from '../src/errors.js'
import {
  groupVersionFilter,
  groupVersionKey,
  parseGroupVersionKey,
  selectGroupVersions,
} from '../src/group-version.js'

describe('parseGroupVersionKey', () => {
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
    { given: 'api', want: undefined },
    { given: 'apis', want: undefined },
    { given: 'apis/apps', want: undefined },
    { given: 'version', want: undefined },
    { given: 'logs', want: undefined },
    { given: '.well-known/openid-configuration', want: undefined },
    { given: 'openid/v1/jwks', want: undefined },
    { given: 'apis/apps/v1/extra', want: undefined },
  ])('$given', ({ given, want }) => {
    expect(parseGroupVersionKey(given)).toEqual(want)
  })
})

describe('groupVersionFilter', () => {
  const refs = [
    'api/v1',
    'apis/apps/v1',
    'apis/batch/v1',
    'apis/networking.k8s.io/v1alpha1',
    'apis/storage.k8s.io/v1',
  ].map((key) => parseGroupVersionKey(key)!)
  it.each([
    {
      given: {},
      want: [
        'api/v1',
        'apis/apps/v1',
        'apis/batch/v1',
        'apis/networking.k8s.io/v1alpha1',
        'apis/storage.k8s.io/v1',
      ],
    },
    { given: { include: ['core/v1'] }, want: ['api/v1'] },
    { given: { include: ['apps'] }, want: ['apis/apps/v1'] },
    {
      given: { include: ['*.k8s.io/*'] },
      want: ['apis/networking.k8s.io/v1alpha1', 'apis/storage.k8s.io/v1'],
    },
    {
      given: { exclude: ['*/v1alpha?'] },
      want: ['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/storage.k8s.io/v1'],
    },
    { given: { include: ['core/*', 'apps/v1'], exclude: ['apps'] }, want: ['api/v1'] },
    // The spellings `fetch` prints (the /openapi/v3 keys) are the same group-versions.
    { given: { include: ['api/v1'] }, want: ['api/v1'] },
    { given: { include: ['api'] }, want: ['api/v1'] },
    { given: { include: ['apis/batch/v1'] }, want: ['apis/batch/v1'] },
    { given: { exclude: ['apis/*.k8s.io/*'] }, want: ['api/v1', 'apis/apps/v1', 'apis/batch/v1'] },
    // `?` is one character in every command (issue 10: `generate` used to reject it).
    { given: { include: ['apps/v?'] }, want: ['apis/apps/v1'] },
  ])('$given', ({ given, want }) => {
    const keep = groupVersionFilter(given)
    expect(refs.filter(keep).map((r) => r.key)).toEqual(want)
  })

  it.each([{ given: 'apps/v1/x' }, { given: '' }, { given: 'a b' }, { given: 'apps/(v1)' }])(
    'rejects $given naming the flag and the rule',
    ({ given }) => {
      let caught: unknown
      try {
        groupVersionFilter({ include: [given] })
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(OpenApiError)
      expect((caught as OpenApiError).code).toBe('K8S_CODEGEN_OPENAPI_FILTER_INVALID')
      expect((caught as OpenApiError).message).toContain(`--include pattern '${given}'`)
    },
  )

  it('never lets * cross the slash', () => {
    const keep = groupVersionFilter({ include: ['apps*v1'] })
    expect(keep(parseGroupVersionKey('apis/apps/v1')!)).toBe(false)
  })
})

describe('selectGroupVersions', () => {
  const served = ['api/v1', 'apis/apps/v1', 'apis/batch/v1'].map((k) => parseGroupVersionKey(k)!)

  it.each([
    { given: { include: ['apps/*'] }, want: ['apis/apps/v1'] },
    { given: { include: ['api/v1', 'batch'] }, want: ['api/v1', 'apis/batch/v1'] },
    { given: { exclude: ['core/v1'] }, want: ['apis/apps/v1', 'apis/batch/v1'] },
  ])('$given keeps $want', ({ given, want }) => {
    expect(selectGroupVersions(served, given).map((r) => r.key)).toEqual(want)
  })

  // issue 10: `fetch --include 'app/*'` (typo for `apps/*`) removed every generated file, exit 0.
  it.each([
    { given: { include: ['app/*'] }, names: "--include 'app/*' matches" },
    { given: { include: ['apps', 'core/v2'] }, names: "--include 'core/v2' matches" },
    { given: { exclude: ['*alpha*'] }, names: "--exclude '*alpha*' matches" },
    { given: { include: ['x'], exclude: ['y'] }, names: "--include 'x', --exclude 'y' match" },
  ])(
    'a pattern matching nothing is FILTER_UNMATCHED listing what is served: $given',
    ({ given, names }) => {
      let caught: unknown
      try {
        selectGroupVersions(served, given)
      } catch (error) {
        caught = error
      }
      expect(caught).toMatchObject({
        code: 'K8S_CODEGEN_OPENAPI_FILTER_UNMATCHED',
        message: expect.stringContaining(names) as string,
      })
      expect((caught as Error).message).toContain('available: apps/v1, batch/v1, core/v1')
    },
  )
})

describe('groupVersionKey', () => {
  it.each([
    { given: { group: '', version: 'v1' }, want: 'api/v1' },
    { given: { group: 'apps', version: 'v1' }, want: 'apis/apps/v1' },
  ])('$given → $want and back', ({ given, want }) => {
    expect(groupVersionKey(given)).toBe(want)
    expect(parseGroupVersionKey(want)).toEqual({ key: want, ...given })
  })
})

describe('properties', () => {
  const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/)
  const group = fc.array(label, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'))
  const version = fc.stringMatching(/^v[0-9]{1,2}((alpha|beta)[0-9]{1,2})?$/)

  it('every apis/<group>/<version> key parses back to its parts, and a literal filter keeps exactly it', () => {
    fc.assert(
      fc.property(group, version, (g, v) => {
        const ref = parseGroupVersionKey(`apis/${g}/${v}`)
        expect(ref).toEqual({ key: `apis/${g}/${v}`, group: g, version: v })
        const keep = groupVersionFilter({ include: [`${g}/${v}`] })
        expect(keep(ref!)).toBe(true)
        expect(keep({ group: `${g}x`, version: v })).toBe(false)
      }),
    )
  })

  it('exclude wins over include for the same pattern', () => {
    fc.assert(
      fc.property(group, version, (g, v) => {
        const keep = groupVersionFilter({ include: [`${g}/*`], exclude: [`${g}/${v}`] })
        expect(keep({ group: g, version: v })).toBe(false)
      }),
    )
  })
})
