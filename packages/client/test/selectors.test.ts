// Selector rows after apimachinery pkg/labels/selector_test.go (TestSelectorParse,
// TestLexerSequence, TestSetSelectorParser) and pkg/fields/selector_test.go (TestSelectorParse,
// TestSplitTerms, TestEscapeValue), plus the object forms' printing.
import { describe, expect, it } from 'vitest'

import {
  fieldSelectorString,
  labelSelectorString,
  parseFieldSelector,
  parseLabelSelector,
  type LabelSelector,
} from '../src/index.js'

const outcome = (parse: (s: string) => string, given: string) => {
  try {
    parse(given)
    return 'ok'
  } catch (error) {
    expect(error).toMatchObject({ code: 'K8S_CODEGEN_CLIENT_INVALID_SELECTOR' })
    return 'invalid'
  }
}

describe('parseLabelSelector', () => {
  it.each<{ given: string; want: 'ok' | 'invalid' }>([
    { given: '', want: 'ok' },
    { given: 'x=a,y=b,z=c', want: 'ok' },
    { given: 'x!=a,y=b', want: 'ok' },
    { given: 'x=', want: 'ok' },
    { given: 'x= ', want: 'ok' },
    { given: 'x=,z= ', want: 'ok' },
    { given: 'x= ,z= ', want: 'ok' },
    { given: '!x', want: 'ok' },
    { given: 'x', want: 'ok' },
    { given: 'x>1', want: 'ok' },
    { given: 'x>1,z<5', want: 'ok' },
    { given: 'x==a', want: 'ok' },
    { given: 'x in (foo,,baz),y,z notin ()', want: 'ok' },
    { given: 'x in (a)', want: 'ok' },
    { given: 'x notin (a,b)', want: 'ok' },
    { given: 'x in (in)', want: 'ok' },
    { given: 'in=notin', want: 'ok' },
    { given: 'example.com/app=web', want: 'ok' },
    { given: '  app = web , tier in ( a , b )  ', want: 'ok' },
    { given: 'x=a||y=b', want: 'invalid' },
    { given: 'x==a==b', want: 'invalid' },
    { given: '!x=a', want: 'invalid' },
    { given: 'x<a', want: 'invalid' },
    { given: 'x=a b', want: 'invalid' },
    { given: 'x in a', want: 'invalid' },
    { given: 'x in (a', want: 'invalid' },
    { given: 'x,', want: 'invalid' },
    { given: ',x', want: 'invalid' },
    { given: 'x=(a)', want: 'invalid' },
    { given: '=a', want: 'invalid' },
    { given: '-x=a', want: 'invalid' },
    { given: 'x=-a', want: 'invalid' },
    { given: 'x=a_', want: 'invalid' },
    { given: 'a/b/c=d', want: 'invalid' },
    { given: 'Bad_Prefix/x=a', want: 'invalid' },
    { given: `${'k'.repeat(64)}=a`, want: 'invalid' },
    { given: `k=${'v'.repeat(64)}`, want: 'invalid' },
    { given: 'x>1.5', want: 'invalid' },
  ])('$given → $want', ({ given, want }) => {
    expect(outcome(parseLabelSelector, given)).toBe(want)
  })

  it('names the selector and the rule', () => {
    expect(() => parseLabelSelector('x<a')).toThrow(
      /label selector "x<a" is invalid: for 'Gt', 'Lt' operators, the value must be an integer/,
    )
  })
})

describe('labelSelectorString (meta/v1 LabelSelector → selector string)', () => {
  it.each<{ given: LabelSelector; want: string }>([
    { given: {}, want: '' },
    { given: { matchLabels: { b: '2', a: '1' } }, want: 'a=1,b=2' },
    {
      given: {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['b', 'a', 'b'] },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'zone', operator: 'Exists' },
        ],
      },
      want: 'app=web,!canary,env notin (dev),tier in (a,b),zone',
    },
  ])('$want', ({ given, want }) => {
    expect(labelSelectorString(given)).toBe(want)
    expect(parseLabelSelector(want)).toBe(want)
  })

  it.each<{ given: LabelSelector }>([
    { given: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] } },
    { given: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] } },
    { given: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] } },
    { given: { matchLabels: { 'bad key!': 'x' } } },
    // absent key or operator: the server's default '', refused as LabelSelectorAsSelector does
    { given: { matchExpressions: [{ operator: 'Exists' }] } },
    { given: { matchExpressions: [{ key: 'a' }] } },
  ])('rejects $given', ({ given }) => {
    expect(() => labelSelectorString(given)).toThrow(
      expect.objectContaining({ code: 'K8S_CODEGEN_CLIENT_INVALID_SELECTOR' }),
    )
  })
})

describe('parseFieldSelector', () => {
  it.each<{ given: string; want: 'ok' | 'invalid' }>([
    { given: '', want: 'ok' },
    { given: 'a=b', want: 'ok' },
    { given: 'a==b', want: 'ok' },
    { given: 'a!=b', want: 'ok' },
    { given: 'a=b,c=d', want: 'ok' },
    { given: 'a=', want: 'ok' },
    { given: 'a=b\\,c', want: 'ok' },
    { given: 'a=b\\=c\\\\', want: 'ok' },
    { given: 'metadata.name=web,status.phase!=Running', want: 'ok' },
    { given: 'a=b,,c=d', want: 'ok' },
    { given: 'a', want: 'invalid' },
    { given: 'a,b', want: 'invalid' },
    { given: 'a=b,c', want: 'invalid' },
    { given: 'a=b=c', want: 'invalid' },
    { given: 'a=b\\x', want: 'invalid' },
    { given: 'a=b\\', want: 'invalid' },
  ])('$given → $want', ({ given, want }) => {
    expect(outcome(parseFieldSelector, given)).toBe(want)
  })
})

describe('fieldSelectorString', () => {
  it.each<{ given: Record<string, string>; want: string }>([
    { given: {}, want: '' },
    {
      given: { 'spec.nodeName': 'n1', 'metadata.name': 'a' },
      want: 'metadata.name=a,spec.nodeName=n1',
    },
    { given: { 'metadata.name': 'a,b=c\\d' }, want: 'metadata.name=a\\,b\\=c\\\\d' },
  ])('$want', ({ given, want }) => {
    expect(fieldSelectorString(given)).toBe(want)
    expect(parseFieldSelector(want)).toBe(want)
  })
})
