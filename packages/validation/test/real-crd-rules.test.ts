// x-kubernetes-validations of real projects' CRDs (packages/cli/test/corpus/crds: Gateway API,
// cert-manager, CSI external-snapshotter, as published) on valid and invalid objects, creates and
// updates (the snapshotter's immutability transition rules). Each `want` is what a real
// kube-apiserver v1.37.2 serving those CRDs answered (POST ?dryRun=All; for an update the old
// object created, then PUT ?dryRun=All; undefined = accepted). The Cluster API CRDs of the corpus
// carry no CEL rules. The rows are in _corpus-rules.ts.
import { describe, expect, it } from 'vitest'
import { validateObject } from '../src/index.js'
import { corpusDocument, corpusRows } from './_corpus-rules.js'
import { sortedCauses } from './_widgets.js'

describe('rules of real CRDs', () => {
  it.each(corpusRows)('$given.object.kind $given.object.spec', ({ given, want }) => {
    const got = validateObject(
      corpusDocument,
      given.object,
      given.oldObject === undefined ? {} : { oldObject: given.oldObject },
    )
    expect(got === undefined ? undefined : sortedCauses(got.details.causes)).toEqual(
      want === undefined ? undefined : sortedCauses(want.causes),
    )
    if (want !== undefined && new Set(want.causes.map((c) => c.field + c.message)).size === 1)
      expect(got?.message).toBe(want.message)
  })
})
