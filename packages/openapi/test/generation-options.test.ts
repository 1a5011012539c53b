import { describe, expect, it } from 'vitest'
import {
  DEFAULT_GENERATION_OPTIONS,
  diffGenerationOptions,
  mergeGenerationOptions,
  parseGenerationOptions,
} from '../src/generation-options.js'

describe('mergeGenerationOptions', () => {
  it.each([
    { given: [], want: DEFAULT_GENERATION_OPTIONS },
    {
      given: [{ docs: false }, { docs: true, emit: 'js' as const }],
      want: { ...DEFAULT_GENERATION_OPTIONS, docs: false, emit: 'js' },
    },
    {
      given: [undefined, { include: ['apps'] }],
      want: { ...DEFAULT_GENERATION_OPTIONS, include: ['apps'] },
    },
    {
      given: [{ include: undefined }, { include: ['core/v1'] }],
      want: { ...DEFAULT_GENERATION_OPTIONS, include: ['core/v1'] },
    },
  ])('first defined layer wins: $given', ({ given, want }) => {
    expect(mergeGenerationOptions(...given)).toEqual(want)
  })
})

describe('diffGenerationOptions', () => {
  it.each([
    { given: {}, want: [] },
    { given: { docs: false }, want: ['docs: true → false'] },
    {
      given: { emit: 'js' as const, exclude: ['*alpha*'] },
      want: ['emit: "ts" → "js"', 'exclude: [] → ["*alpha*"]'],
    },
  ])('$given', ({ given, want }) => {
    expect(
      diffGenerationOptions(DEFAULT_GENERATION_OPTIONS, mergeGenerationOptions(given)),
    ).toEqual(want)
  })
})

describe('parseGenerationOptions', () => {
  it.each([
    { given: {}, want: { ok: true, options: DEFAULT_GENERATION_OPTIONS } },
    // A lockfile written before an option existed gets its default.
    {
      given: { docs: false },
      want: { ok: true, options: { ...DEFAULT_GENERATION_OPTIONS, docs: false } },
    },
    { given: [], want: { ok: false, rule: 'options must be an object' } },
    {
      given: { colour: 'red' },
      want: { ok: false, rule: 'options.colour is not an option this version knows' },
    },
    {
      given: { emit: 'go' },
      want: { ok: false, rule: 'options.emit has the wrong type or value' },
    },
    {
      given: { include: [1] },
      want: { ok: false, rule: 'options.include has the wrong type or value' },
    },
    {
      given: { docs: 'no' },
      want: { ok: false, rule: 'options.docs has the wrong type or value' },
    },
  ])('$given', ({ given, want }) => {
    expect(parseGenerationOptions(given)).toEqual(want)
  })
})
