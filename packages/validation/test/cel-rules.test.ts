// x-kubernetes-validations: rule, message, messageExpression (and its fallbacks), reason,
// fieldPath, rules on array items and map values, int vs double, int-or-string, runtime errors,
// the blocking errors that keep rules from running, transition rules, optionalOldSelf, and
// ObjectMeta on update; every `want` is a real kube-apiserver v1.37.2's answer (test/_checks.ts).
import { describe, expect, it } from 'vitest'
import { validateObject } from '../src/index.js'
import { check, checkRows, checksDocument } from './_checks.js'
import { sortedCauses } from './_widgets.js'

// What the server stores for a created Check: the fields an update carries back.
const stored = (name: string, spec: unknown): Record<string, unknown> =>
  check(name, spec, {
    namespace: 'default',
    uid: '2da55029-31da-4dbe-948c-12d39f477976',
    resourceVersion: '7',
    generation: 1,
    creationTimestamp: '2026-12-06T14:00:00Z',
  })

describe('validateObject runs x-kubernetes-validations as kube-apiserver does', () => {
  it.each(checkRows)('$given', ({ given, want }) => {
    let got
    if (given.oldSpec === undefined) {
      got = validateObject(checksDocument, check(given.name, given.spec))
    } else {
      const old = stored(given.name, given.oldSpec)
      const metadata = { ...(old.metadata as object), ...given.metadata }
      got = validateObject(
        checksDocument,
        { ...old, metadata, spec: given.spec },
        { oldObject: old },
      )
    }
    expect(
      got?.details.causes === undefined ? undefined : sortedCauses(got.details.causes),
    ).toEqual(want === undefined ? undefined : sortedCauses(want.causes))
    if (want !== undefined && new Set(want.causes.map((c) => c.field + c.message)).size === 1)
      expect(got?.message).toBe(want.message)
  })
})
