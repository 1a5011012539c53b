// The object the custom resource decoder stores (apiextensions-apiserver
// customresource_handler.go: pruning.PruneWithOptions, PruneNonNullableNullsWithoutDefaults,
// defaulting.Default): what an emulated server keeps and validateObject validates.
import { describe, expect, it } from 'vitest'
import { decodeObject } from '../src/index.js'
import { widget, widgetsDocument } from './_widgets.js'

const rows: { given: unknown; want: unknown }[] = [
  { given: widget({ host: 'a', size: 'l' }), want: widget({ host: 'a', size: 'l' }) },
  // `size` has `default: m`; an unknown field goes.
  { given: widget({ host: 'a', colour: 'red' }), want: widget({ host: 'a', size: 'm' }) },
  // A null the schema does not allow is dropped before defaulting, which then fills it.
  { given: widget({ host: 'a', size: null }), want: widget({ host: 'a', size: 'm' }) },
  // apiVersion, kind and metadata of the root are kept as sent; other root fields are pruned.
  {
    given: { ...(widget({ host: 'a' }) as object), extra: 1 },
    want: widget({ host: 'a', size: 'm' }),
  },
]

describe('decodeObject prunes, drops disallowed nulls and applies defaults', () => {
  it.each(rows)('$given', ({ given, want }) => {
    expect(decodeObject(widgetsDocument, given)).toEqual(want)
  })
})
