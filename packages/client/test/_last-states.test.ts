import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { keyOf } from '../src/_identity.js'
import { LastStates } from '../src/_last-states.js'

// The watch's last states: kept by namespace and name, the identity `keyOf` names, so they must
// answer exactly as a map keyed by `keyOf` would — including a relist's `replace`.
const object = (namespace: string | undefined, name: string) => ({
  metadata: namespace === undefined ? { name } : { namespace, name },
})

type Op =
  | { op: 'set'; namespace: string | undefined; name: string; text: string }
  | { op: 'delete'; namespace: string | undefined; name: string }
  | { op: 'replace'; next: { namespace: string | undefined; name: string; text: string }[] }

// The model: one Map keyed by keyOf; `replace` answers the texts of what `next` lacks.
function model(ops: Op[]): { states: Map<string, string>; vanished: string[][] } {
  const states = new Map<string, string>()
  const vanished: string[][] = []
  for (const o of ops) {
    if (o.op === 'set') states.set(keyOf(object(o.namespace, o.name)), o.text)
    else if (o.op === 'delete') states.delete(keyOf(object(o.namespace, o.name)))
    else {
      const next = new Map(o.next.map((s) => [keyOf(object(s.namespace, s.name)), s.text]))
      vanished.push([...states].filter(([key]) => !next.has(key)).map(([, text]) => text))
      states.clear()
      for (const [key, text] of next) states.set(key, text)
    }
  }
  return { states, vanished }
}

function run(ops: Op[]): { store: LastStates; vanished: string[][] } {
  const store = new LastStates()
  const vanished: string[][] = []
  for (const o of ops) {
    if (o.op === 'set') store.set(object(o.namespace, o.name), o.text)
    else if (o.op === 'delete') store.delete(object(o.namespace, o.name))
    else {
      const next = new LastStates()
      for (const s of o.next) next.set(object(s.namespace, s.name), s.text)
      vanished.push(store.replace(next))
    }
  }
  return { store, vanished }
}

describe('LastStates', () => {
  it.each([
    {
      given: [{ op: 'set', namespace: 'a', name: 'x', text: '1' }] as Op[],
      want: { a: '1', b: undefined, cluster: undefined },
    },
    {
      given: [
        { op: 'set', namespace: 'a', name: 'x', text: '1' },
        { op: 'set', namespace: 'b', name: 'x', text: '2' },
        { op: 'set', namespace: undefined, name: 'x', text: '3' },
      ] as Op[],
      want: { a: '1', b: '2', cluster: '3' },
    },
    {
      given: [
        { op: 'set', namespace: 'a', name: 'x', text: '1' },
        { op: 'set', namespace: 'a', name: 'x', text: '2' },
        { op: 'delete', namespace: 'b', name: 'x' },
      ] as Op[],
      want: { a: '2', b: undefined, cluster: undefined },
    },
    {
      given: [
        { op: 'set', namespace: 'a', name: 'x', text: '1' },
        { op: 'delete', namespace: 'a', name: 'x' },
      ] as Op[],
      want: { a: undefined, b: undefined, cluster: undefined },
    },
  ])('x in a, b and the cluster scope after $given', ({ given, want }) => {
    const { store } = run(given)
    expect({
      a: store.get(object('a', 'x')),
      b: store.get(object('b', 'x')),
      cluster: store.get(object(undefined, 'x')),
    }).toEqual(want)
  })

  it.each([
    {
      given: {
        kept: [
          ['a', 'x', '1'],
          ['a', 'y', '2'],
          ['b', 'x', '3'],
        ],
        listed: [['a', 'y', '4']],
      },
      want: { vanished: ['1', '3'], after: { ax: undefined, ay: '4', bx: undefined } },
    },
    {
      given: { kept: [['a', 'x', '1']], listed: [['b', 'x', '2']] },
      want: { vanished: ['1'], after: { ax: undefined, ay: undefined, bx: '2' } },
    },
    {
      given: { kept: [], listed: [['a', 'x', '1']] },
      want: { vanished: [], after: { ax: '1', ay: undefined, bx: undefined } },
    },
  ])('a relist of $given.listed over $given.kept', ({ given, want }) => {
    const store = new LastStates()
    for (const [namespace, name, text] of given.kept) store.set(object(namespace, name!), text!)
    const next = new LastStates()
    for (const [namespace, name, text] of given.listed) next.set(object(namespace, name!), text!)
    expect({
      vanished: store.replace(next),
      after: {
        ax: store.get(object('a', 'x')),
        ay: store.get(object('a', 'y')),
        bx: store.get(object('b', 'x')),
      },
    }).toEqual(want)
  })

  it('answers as a map keyed by keyOf, through any sets, deletes and relists', () => {
    const namespace = fc.constantFrom(undefined, '', 'a', 'b')
    const name = fc.constantFrom('x', 'y', 'a/x', '')
    const state = fc.record({ namespace, name, text: fc.string({ maxLength: 3 }) })
    const op: fc.Arbitrary<Op> = fc.oneof(
      state.map((s) => ({ op: 'set' as const, ...s })),
      fc.record({ namespace, name }).map((s) => ({ op: 'delete' as const, ...s })),
      fc.array(state, { maxLength: 4 }).map((next) => ({ op: 'replace' as const, next })),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        const want = model(ops)
        const { store, vanished } = run(ops)
        expect(vanished.map((texts) => [...texts].sort())).toEqual(
          want.vanished.map((texts) => [...texts].sort()),
        )
        for (const n of [undefined, '', 'a', 'b'])
          for (const m of ['x', 'y', 'a/x', ''])
            expect(store.get(object(n, m))).toBe(want.states.get(keyOf(object(n, m))))
      }),
    )
  })
})
