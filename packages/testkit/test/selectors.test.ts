import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  fieldsOf,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from '../src/selectors.js'
import { ApiStatusError } from '../src/status-errors.js'

// Rows after apimachinery `pkg/labels/selector_test.go` TestSelectorMatches / TestLexer and
// `pkg/fields/selector_test.go`.
const labels = { x: '1', y: '2', z: '' }

describe('parseLabelSelector + matchesLabels', () => {
  it.each([
    { given: '', want: true },
    { given: 'x=1', want: true },
    { given: 'x==1', want: true },
    { given: 'x=1,y=2', want: true },
    { given: 'x!=2', want: true },
    { given: 'w!=1', want: true },
    { given: 'x in (1,2)', want: true },
    { given: 'x notin (2,3)', want: true },
    { given: 'x', want: true },
    { given: '!w', want: true },
    { given: 'z=', want: true },
    { given: 'z in (,a)', want: true },
    { given: 'x>0', want: true },
    { given: 'y<3', want: true },
    { given: 'x=2', want: false },
    { given: 'x!=1', want: false },
    { given: 'x notin (1)', want: false },
    { given: '!x', want: false },
    { given: 'w', want: false },
    { given: 'w in (1)', want: false },
    { given: 'x=1,y=3', want: false },
    { given: 'x>1', want: false },
  ])('$given matches {x:1,y:2,z:""} → $want', ({ given, want }) => {
    expect(matchesLabels(parseLabelSelector(given), labels)).toBe(want)
  })

  it.each([
    'x=a=b',
    'x in (a',
    'x in ()',
    '!',
    'x>a',
    'x,',
    'x=1 y=2',
    'Bad Key=1',
    'x=' + 'v'.repeat(64),
  ])('refuses %j with a 400 BadRequest', (given) => {
    let caught: unknown
    try {
      parseLabelSelector(given)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ApiStatusError)
    expect(caught).toMatchObject({ code: 400, reason: 'BadRequest' })
  })

  it('property: k=v,… built from a label map selects exactly the maps containing it', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/)
    const value = fc.stringMatching(/^[a-z0-9]{0,4}$/)
    fc.assert(
      fc.property(fc.dictionary(key, value), fc.dictionary(key, value), (wanted, have) => {
        const text = Object.entries(wanted)
          .map(([k, v]) => `${k}=${v}`)
          .join(',')
        const contains = Object.entries(wanted).every(
          ([k, v]) => Object.hasOwn(have, k) && have[k] === v,
        )
        expect(matchesLabels(parseLabelSelector(text), have)).toBe(contains)
      }),
    )
  })
})

describe('parseFieldSelector + matchesFields', () => {
  const pod = {
    metadata: { name: 'p', namespace: 'ns' },
    spec: { nodeName: 'node-1', restartPolicy: 'Always' },
    status: { phase: 'Running' },
  }
  it.each([
    { given: 'metadata.name=p', want: true },
    { given: 'spec.nodeName=node-1,status.phase!=Pending', want: true },
    { given: 'status.phase==Running', want: true },
    { given: 'spec.nodeName=', want: false },
    { given: 'metadata.namespace=other', want: false },
    // selector.go parseSelector skips empty terms: kube-apiserver serves these.
    { given: 'metadata.name=p,', want: true },
    { given: ',metadata.name=p', want: true },
    { given: 'metadata.name=p,,status.phase=Pending', want: false },
  ])('pods: $given → $want', ({ given, want }) => {
    expect(matchesFields(parseFieldSelector(given, '/pods', false), fieldsOf('/pods', pod))).toBe(
      want,
    )
  })

  it.each([
    {
      given: 'spec.nodeName=x',
      collection: '/configmaps',
      custom: false,
      want: '"spec.nodeName" is not a known field selector: only "metadata.name", "metadata.namespace"',
    },
    {
      given: 'spec.size=1',
      collection: 'example.dev/widgets',
      custom: true,
      want: 'field label not supported: spec.size',
    },
    {
      given: 'metadata.name',
      collection: '/configmaps',
      custom: false,
      want: "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
    },
  ])('refuses $given on $collection', ({ given, collection, custom, want }) => {
    expect(() => parseFieldSelector(given, collection, custom)).toThrow(want)
  })

  it('unescapes \\, and \\= in values', () => {
    const selector = parseFieldSelector('metadata.name=a\\,b\\=c', '/configmaps', false)
    expect(matchesFields(selector, { 'metadata.name': 'a,b=c' })).toBe(true)
  })
})
