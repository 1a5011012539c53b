import { describe, expect, it } from 'vitest'
import { setOwn } from '../src/_json.js'

// A request's keys become own data properties as JSON.parse makes them, whatever they are
// called: never the prototype, never a shadowed method read back.
describe('setOwn', () => {
  it.each([
    { given: '__proto__', want: { polluted: true } },
    { given: 'constructor', want: 'a constructor field' },
    { given: 'toString', want: 1 },
    { given: 'hasOwnProperty', want: null },
    { given: 'spec', want: { replicas: 2 } },
  ])('$given', ({ given, want }) => {
    const object: Record<string, unknown> = {}
    setOwn(object, given, want)
    expect(Object.hasOwn(object, given)).toBe(true)
    expect(Object.getOwnPropertyDescriptor(object, given)).toEqual({
      value: want,
      enumerable: true,
      writable: true,
      configurable: true,
    })
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype)
    expect(Object.keys(object)).toEqual([given])
    expect(JSON.parse(JSON.stringify(object))).toEqual(
      JSON.parse(JSON.stringify({ [given]: want })),
    )
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })
})
