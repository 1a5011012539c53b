import fc from 'fast-check'
import { CORE_SCHEMA, loadAll } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { DEFAULT_CRD_READ_LIMITS } from '../../src/crd/read-limits.js'
import { expandedJsonBytes, splitYamlDocuments } from '../../src/crd/yaml-documents.js'

const split = (text: string) => [...splitYamlDocuments(text, 'f.yaml', DEFAULT_CRD_READ_LIMITS)]

describe('splitYamlDocuments', () => {
  const rows: { given: string; want: { text: string; index: number; line: number }[] }[] = [
    { given: '', want: [] },
    { given: '# only a comment\n', want: [] },
    { given: 'a: 1\n', want: [{ text: 'a: 1\n', index: 0, line: 0 }] },
    {
      given: '# license\n---\na: 1\n---\nb: 2',
      want: [
        { text: '# license\n---\na: 1\n', index: 0, line: 0 },
        { text: '---\nb: 2', index: 1, line: 3 },
      ],
    },
    {
      // An empty document between two markers still counts, as in a YAML stream.
      given: 'a: 1\n---\n---\nb: 2\n',
      want: [
        { text: 'a: 1\n', index: 0, line: 0 },
        { text: '---\n', index: 1, line: 1 },
        { text: '---\nb: 2\n', index: 2, line: 2 },
      ],
    },
    {
      given: '--- {a: 1}\n...\n--- |\n  text\n---  \n',
      want: [
        { text: '--- {a: 1}\n...\n', index: 0, line: 0 },
        { text: '--- |\n  text\n', index: 1, line: 2 },
        { text: '---  \n', index: 2, line: 4 },
      ],
    },
    {
      // Not markers: text after `---` without a space, or indented.
      given: 'a: ---x\n ---\nb: |\n  ---text\n',
      want: [{ text: 'a: ---x\n ---\nb: |\n  ---text\n', index: 0, line: 0 }],
    },
  ]
  it.each(rows)('$given', ({ given, want }) => {
    expect(split(given)).toEqual(want)
  })

  it('yields the documents js-yaml reads from the whole stream (property)', () => {
    const scalar = fc.oneof(
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.stringMatching(/^[a-z][a-z0-9 ]{0,8}$/),
    )
    const mapping = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), scalar, { maxKeys: 4 })
    const document = fc.record({
      comment: fc.boolean(),
      value: mapping,
      end: fc.boolean(),
    })
    fc.assert(
      fc.property(fc.array(document, { maxLength: 8 }), (docs) => {
        const text = docs
          .map(
            ({ comment, value, end }) =>
              `---\n${comment ? '# note\n' : ''}${Object.entries(value)
                .map(([k, v]) => `${k}: ${JSON.stringify(v)}\n`)
                .join('')}${end ? '...\n' : ''}`,
          )
          .join('')
        const got = split(text).map(
          (d) => loadAll(d.text, undefined, { schema: CORE_SCHEMA })[0] ?? null,
        )
        expect(got).toEqual(loadAll(text, undefined, { schema: CORE_SCHEMA }))
      }),
    )
  })
})

describe('expandedJsonBytes', () => {
  const shared = ['x']
  const rows: { given: unknown; want: number }[] = [
    { given: {}, want: 2 },
    { given: [], want: 2 },
    { given: { b: [shared, shared] }, want: '{"b":[["x"],["x"]]}'.length },
    { given: [null, true, 12.5, 'ab'], want: '[null,true,12.5,"ab"]'.length },
  ]
  it.each(rows)('$given', ({ given, want }) => {
    expect(expandedJsonBytes(given, Infinity)).toBe(want)
  })

  it('is Infinity past the limit and for a node that contains itself', () => {
    const cyclic: unknown[] = []
    cyclic.push(cyclic)
    expect(expandedJsonBytes(cyclic, 1000)).toBe(Infinity)
    expect(expandedJsonBytes({ a: 'x'.repeat(100) }, 50)).toBe(Infinity)
  })

  it('equals the length of JSON.stringify when no string needs escaping (property)', () => {
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.stringMatching(/^[a-z0-9]{0,6}$/),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.stringMatching(/^[a-z]{1,4}$/), tie('value'), { maxKeys: 4 }),
      ),
    }))
    fc.assert(
      fc.property(value, (v) => {
        expect(expandedJsonBytes(v, Infinity)).toBe(JSON.stringify(v).length)
      }),
    )
  })
})
