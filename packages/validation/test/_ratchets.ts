// The Ratchet custom resource: fixtures/ratchets-crd.json, then fixtures/ratchets-crd-strict.json
// served in its place (a CRD made stricter while objects exist), and updates of objects stored
// under the first that the second refuses. Each `want` is what a real kube-apiserver v1.37.2
// answered to the PUT ?dryRun=All of the update (undefined = accepted); shared by
// ratcheting.test.ts and ratcheting-real-apiserver-oracle.test.ts (which asks again).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { OpenApiDocument, StatusCause } from '../src/index.js'

export const ratchetsCrdFile = fileURLToPath(new URL('fixtures/ratchets-crd.json', import.meta.url))

export const strictRatchetsCrd = JSON.parse(
  readFileSync(new URL('fixtures/ratchets-crd-strict.json', import.meta.url), 'utf8'),
) as {
  spec: { versions: [{ schema: { openAPIV3Schema: Record<string, unknown> } }] }
}

/** The strict CRD's structural schema as a document. */
export const strictRatchetsDocument: OpenApiDocument = {
  components: {
    schemas: {
      'com.example.v1.Ratchet': {
        ...strictRatchetsCrd.spec.versions[0].schema.openAPIV3Schema,
        'x-kubernetes-group-version-kind': [
          { group: 'example.com', version: 'v1', kind: 'Ratchet' },
        ],
      },
    },
  },
}

export interface RatchetRow {
  readonly given: { readonly oldSpec: unknown; readonly spec: unknown }
  readonly want: { readonly message: string; readonly causes: readonly StatusCause[] } | undefined
}

const stale = { name: 'long', size: 7, tags: ['a', 'a'] }

export const ratchetRows: RatchetRow[] = [
  { given: { oldSpec: stale, spec: { ...stale, labels: { x: 'y' } } }, want: undefined },
  {
    given: { oldSpec: stale, spec: { ...stale, name: 'longer' } },
    want: {
      message:
        'Ratchet.example.com "r1" is invalid: [spec.name: Too long: may not be more than 3 bytes, <nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]',
      causes: [
        {
          reason: 'FieldValueTooLong',
          message: 'Too long: may not be more than 3 bytes',
          field: 'spec.name',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
          field: '<nil>',
        },
      ],
    },
  },
  {
    given: { oldSpec: stale, spec: { ...stale, size: 8 } },
    want: {
      message:
        'Ratchet.example.com "r2" is invalid: [spec.size: Invalid value: 8: spec.size in body should be less than or equal to 5, spec.size: Invalid value: 8: size is below 6]',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 8: spec.size in body should be less than or equal to 5',
          field: 'spec.size',
        },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 8: size is below 6',
          field: 'spec.size',
        },
      ],
    },
  },
  {
    given: { oldSpec: { name: 'ok', tags: ['a'] }, spec: { name: 'ok', tags: ['b', 'b'] } },
    want: {
      message: 'Ratchet.example.com "r3" is invalid: spec.tags[1]: Duplicate value: "b"',
      causes: [
        { reason: 'FieldValueDuplicate', message: 'Duplicate value: "b"', field: 'spec.tags[1]' },
      ],
    },
  },
  {
    given: {
      oldSpec: { labels: { a: '1', b: '2', c: '3' } },
      spec: { labels: { a: '1', b: '2', c: '3' }, name: 'x' },
    },
    want: {
      message: 'Ratchet.example.com "r4" is invalid: spec: Invalid value: at most 2 labels',
      causes: [
        { reason: 'FieldValueInvalid', message: 'Invalid value: at most 2 labels', field: 'spec' },
      ],
    },
  },
  {
    given: {
      oldSpec: { labels: { a: '1', b: '2', c: '3' }, size: 9 },
      spec: { labels: { a: '1', b: '2', c: '3' }, size: 9 },
    },
    want: undefined,
  },
]
