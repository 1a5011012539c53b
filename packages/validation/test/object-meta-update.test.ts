// ObjectMeta on update: apiserver pkg/registry/rest/update.go BeforeUpdate carries uid,
// creationTimestamp, deletionTimestamp and generation over from the stored object, then
// validateCommonFields (ValidateObjectMetaAccessor, ValidateObjectMetaAccessorUpdate) and the
// custom resource validator's ValidateObjectMetaUpdate run: the immutable fields are reported by
// both (apimachinery pkg/api/validation/objectmeta.go ValidateImmutableField, "field is
// immutable"). Over HTTP a real server refuses a changed name or namespace earlier (400, the
// object does not match the URL) and a changed uid at its precondition (409); labels,
// annotations and finalizers on update are in cel-rules.test.ts with its answers.
import { describe, expect, it } from 'vitest'
import { validateObject } from '../src/index.js'
import { widget, widgetsDocument } from './_widgets.js'

const stored = {
  name: 'w',
  namespace: 'default',
  uid: '2da55029-31da-4dbe-948c-12d39f477976',
  resourceVersion: '7',
  generation: 3,
  creationTimestamp: '2026-12-06T14:00:00Z',
}
const spec = { host: 'example' }

const rows: { given: Record<string, unknown>; want: string[] }[] = [
  { given: {}, want: [] },
  { given: { uid: undefined, creationTimestamp: undefined, generation: 1 }, want: [] },
  {
    given: { name: 'other' },
    want: [
      'metadata.name: Invalid value: "other": field is immutable',
      'metadata.name: Invalid value: "other": field is immutable',
    ],
  },
  {
    given: { namespace: 'kube-system', uid: 'u-2' },
    want: [
      'metadata.namespace: Invalid value: "kube-system": field is immutable',
      'metadata.uid: Invalid value: "u-2": field is immutable',
      'metadata.namespace: Invalid value: "kube-system": field is immutable',
      'metadata.uid: Invalid value: "u-2": field is immutable',
    ],
  },
]

describe('ObjectMeta on update', () => {
  it.each(rows)('$given', ({ given, want }) => {
    const metadata = Object.fromEntries(
      Object.entries({ ...stored, ...given }).filter(([, v]) => v !== undefined),
    )
    const got = validateObject(widgetsDocument, widget(spec, metadata), {
      oldObject: widget(spec, stored),
    })
    expect(got?.details.causes.map((c) => `${c.field}: ${c.message}`) ?? []).toEqual(want)
  })
})
