import { describe, expect, it } from 'vitest'

import {
  IdentifierScope,
  ModulePaths,
  importSpecifier,
  isPlainPropertyName,
  moduleWords,
  toIdentifier,
} from '../src/names.js'

describe('toIdentifier', () => {
  it.each([
    { given: 'Deployment', want: 'Deployment' },
    { given: 'My-Widget', want: 'My_Widget' },
    { given: 'class', want: 'class_' },
    { given: 'string', want: 'string_' },
    { given: 'undefined', want: 'undefined_' },
    { given: '3scale', want: '_3scale' },
    { given: '', want: '_' },
    { given: 'a$b', want: 'a_b' },
    { given: 'Ünïcode', want: '_n_code' },
    {
      given: "X {}\nvoid import('node:child_process')",
      want: 'X____void_import__node_child_process__',
    },
    // Globals are fine as names: the output never refers to a global.
    { given: 'Record', want: 'Record' },
  ])('$given → $want', ({ given, want }) => {
    expect(toIdentifier(given)).toBe(want)
  })
})

describe('IdentifierScope', () => {
  it('keeps the first claim of a base name and numbers the later ones', () => {
    const scope = new IdentifierScope(['registry'])
    expect(['Foo-Bar', 'Foo_Bar', 'Foo.Bar', 'registry'].map((n) => scope.claim(n))).toEqual([
      'Foo_Bar',
      'Foo_Bar_2',
      'Foo_Bar_3',
      'registry_2',
    ])
  })
})

describe('ModulePaths', () => {
  it.each([
    { given: ['core/v1'], want: ['core/v1'] },
    { given: ['example.dev/v1'], want: ['example.dev/v1'] },
    { given: ['../../etc/passwd'], want: ['_../_../etc/passwd'] },
    { given: ['a/v1.d'], want: ['a/v1_d'] },
    { given: ['constructor/v1', '__proto__/v1'], want: ['constructor/v1', '__proto__/v1'] },
    { given: ['con/v1', 'x/nul'], want: ['_con/v1', 'x/_nul'] },
    // Case-only collisions would be one file on a case-insensitive file system.
    {
      given: ['foo.example.com/v1', 'Foo.example.com/v1'],
      want: ['foo.example.com/v1', 'Foo.example.com-2/v1'],
    },
    // A file named like a directory: `runtime.ts` and the group `runtime.ts`.
    { given: ['runtime', 'runtime.ts/v1'], want: ['runtime', 'runtime.ts-2/v1'] },
    { given: ['index'], want: ['index-2'] },
    { given: ['x {}/v1'], want: ['x___/v1'] },
  ])('$given → $want', ({ given, want }) => {
    const paths = new ModulePaths()
    expect(given.map((raw) => paths.claim(raw))).toEqual(want)
    expect(given.map((raw) => paths.claim(raw))).toEqual(want)
  })
})

describe('isPlainPropertyName', () => {
  it.each([
    { given: 'apiVersion', want: true },
    { given: '__proto__', want: false },
    { given: 'constructor', want: true },
    { given: 'x-kubernetes-foo', want: false },
    { given: '0', want: false },
    { given: '', want: false },
  ])('$given → $want', ({ given, want }) => {
    expect(isPlainPropertyName(given)).toBe(want)
  })
})

describe('importSpecifier', () => {
  it.each([
    { given: ['core/v1', 'meta/v1'], want: '../meta/v1.js' },
    { given: ['core/v1', 'core/v1beta1'], want: './v1beta1.js' },
    { given: ['runtime', 'meta/v1'], want: './meta/v1.js' },
    { given: ['example.dev/v1', 'runtime'], want: '../runtime.js' },
  ])('$given → $want', ({ given, want }) => {
    expect(importSpecifier(given[0] ?? '', given[1] ?? '')).toBe(want)
  })
})

describe('moduleWords', () => {
  it.each([
    { given: 'core/v1', want: 'coreV1' },
    { given: 'networking.k8s.io/v1', want: 'networkingK8sIoV1' },
    { given: 'util/intstr', want: 'utilIntstr' },
  ])('$given → $want', ({ given, want }) => {
    expect(moduleWords(given)).toBe(want)
  })
})
