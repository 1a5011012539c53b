// Ratcheting on update (CRDValidationRatcheting, on by default since 1.30): errors of values
// unchanged from the stored object are dropped: OpenAPI schema errors (apiextensions-apiserver
// pkg/apiserver/validation/ratcheting.go), list-type duplicates the stored object already had
// (strategy.go ValidateUpdate) and CEL rules without oldSelf (schema/cel validation.go). Each
// `want` is a real kube-apiserver v1.37.2's answer (test/_ratchets.ts).
import { describe, expect, it } from 'vitest'
import { validateObject } from '../src/index.js'
import { ratchetRows, strictRatchetsDocument } from './_ratchets.js'
import { sortedCauses } from './_widgets.js'

const ratchet = (spec: unknown) => ({
  apiVersion: 'example.com/v1',
  kind: 'Ratchet',
  metadata: { name: 'r', namespace: 'default', uid: 'u-1', resourceVersion: '3' },
  spec,
})

describe('validateObject ratchets an update as kube-apiserver does', () => {
  it.each(ratchetRows)('$given', ({ given, want }) => {
    const got = validateObject(strictRatchetsDocument, ratchet(given.spec), {
      oldObject: ratchet(given.oldSpec),
    })
    expect(got === undefined ? undefined : sortedCauses(got.details.causes)).toEqual(
      want === undefined ? undefined : sortedCauses(want.causes),
    )
  })

  it('reports the same objects on create, where nothing ratchets', () => {
    const created = ratchetRows.map((row) =>
      validateObject(strictRatchetsDocument, ratchet(row.given.spec)),
    )
    expect(created.every((status) => status !== undefined)).toBe(true)
  })
})
