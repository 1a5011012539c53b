import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { OpenApiError } from '../src/errors.js'
import { groupVersionFilter, parseGroupVersionKey } from '../src/group-version.js'

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
        expect(keep({ key: `apis/${g}x/${v}`, group: `${g}x`, version: v })).toBe(false)
      }),
    )
  })

  it('exclude wins over include for the same pattern', () => {
    fc.assert(
      fc.property(group, version, (g, v) => {
        const keep = groupVersionFilter({ include: [`${g}/*`], exclude: [`${g}/${v}`] })
        expect(keep({ key: `apis/${g}/${v}`, group: g, version: v })).toBe(false)
      }),
    )
  })
})
