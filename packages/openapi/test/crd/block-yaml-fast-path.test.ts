import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual } from 'node:util'

import { recordedProfileDir } from '@k8s-codegen/testkit'
import fc from 'fast-check'
import { CORE_SCHEMA, dump, load, type DumpOptions } from 'js-yaml'
import { describe, expect, it } from 'vitest'

import { DECLINED, parseBlockYaml } from '../../src/crd/_block-yaml.js'
import { DEFAULT_CRD_READ_LIMITS } from '../../src/crd/read-limits.js'
import { expandedJsonBytes, splitYamlDocuments } from '../../src/crd/yaml-documents.js'
import { BLOCK_YAML_JSON_RATIO } from '../../src/crd/yaml-load.js'

// The fast path is proven against js-yaml, the reader it stands in for: whatever it reads must be
// exactly js-yaml CORE_SCHEMA's value, and whatever js-yaml refuses it must hand to js-yaml.

type Oracle = { value: unknown } | { refused: string }

function jsYaml(text: string): Oracle {
  try {
    return { value: load(text, { schema: CORE_SCHEMA }) }
  } catch (error) {
    return { refused: (error as Error).message }
  }
}

/**
 * The fast path agrees with js-yaml: it declines, or it reads exactly js-yaml's value, and that
 * value is within the size bound that spares yaml-load.ts measuring it.
 */
function agrees(text: string): boolean {
  const fast = parseBlockYaml(text)
  if (fast === DECLINED) return true
  const oracle = jsYaml(text)
  const bound = BLOCK_YAML_JSON_RATIO * (text.length + 1) + 2
  return (
    'value' in oracle &&
    isDeepStrictEqual(fast, oracle.value) &&
    expandedJsonBytes(fast, Infinity) <= bound
  )
}

describe('parseBlockYaml reads block YAML as js-yaml does', () => {
  // `want`: the value (checked against js-yaml too), or DECLINED (js-yaml reads or refuses it).
  const rows: { given: string; want: unknown }[] = [
    { given: 'a: 1\nb: x\n', want: { a: 1, b: 'x' } },
    { given: '---\na:\n  - 1\n  - x\n', want: { a: [1, 'x'] } },
    { given: '# licence\n---\n# note\nkind: List\nitems: []\n', want: { kind: 'List', items: [] } },
    { given: '---\n', want: null },
    { given: 'a:\n- x\n- y\nb: {}\n', want: { a: ['x', 'y'], b: {} } },
    { given: '- a: 1\n  b: 2\n- c\n-\n- - x\n', want: DECLINED },
    { given: '- a: 1\n  b: 2\n- c\n-\n', want: DECLINED },
    // An empty entry, then an outer entry: js-yaml reads `[{ a: [null, 2] }]`, not §8.2.1's
    // `[{ a: [null] }, 2]` (a counterexample of the hand-styled property below).
    { given: '- a:\n    -\n- 2\n', want: DECLINED },
    { given: '"spec":\n - "A":\n     -\n - false  \n', want: DECLINED },
    // YAML 1.2 core schema: `on`, `yes` are strings; null and booleans in all their spellings.
    {
      given: 'on: yes\n"no": no\nn: ~\nm: Null\nt: TRUE\nf: False\ne:\n',
      want: { on: 'yes', no: 'no', n: null, m: null, t: true, f: false, e: null },
    },
    // Numbers: decimal ints and floats are read; other forms go to js-yaml.
    { given: 'a: -0\n', want: DECLINED },
    { given: 'a: -0.0\n', want: DECLINED },
    {
      given: 'a: 0\nb: 12\nc: 1.50\nd: 1.2.3\ne: 10Gi\n',
      want: { a: 0, b: 12, c: 1.5, d: '1.2.3', e: '10Gi' },
    },
    { given: 'a: 0x1F\n', want: DECLINED },
    { given: 'a: 1e3\n', want: DECLINED },
    { given: 'a: .inf\n', want: DECLINED },
    { given: 'a: 007\n', want: DECLINED },
    {
      given: '1: a\n2.0: b\nnull: c\ntrue: d\n',
      want: { '1': 'a', '2': 'b', null: 'c', true: 'd' },
    },
    // Keys: `__proto__` is an own key, as js-yaml sets it; a duplicate key is js-yaml's refusal.
    { given: 'a: 1\na: 2\n', want: DECLINED },
    { given: '"a:b": 1\n\'c #d\': 2\n', want: { 'a:b': 1, 'c #d': 2 } },
    // Comments, `#` inside text, URLs, trailing spaces.
    {
      given: 'a: x#y # note  \nb: http://h:80/p   \nc: # empty\n# d: 1\n',
      want: { a: 'x#y', b: 'http://h:80/p', c: null },
    },
    { given: 'a: b: c\n', want: DECLINED },
    { given: 'a: -\n', want: DECLINED },
    { given: 'a: &x 1\nb: *x\n', want: DECLINED },
    { given: 'a: !!str 1\n', want: DECLINED },
    { given: 'a: [1, 2]\n', want: DECLINED },
    { given: 'a:\r\n  b: 1\r\n', want: DECLINED },
    { given: 'a:\tb\n', want: DECLINED },
    { given: '%YAML 1.2\n---\na: 1\n', want: DECLINED },
    // Quoted scalars: escapes, '' in single quotes, folding over several lines.
    {
      given: `a: "x\\ty\\u00e9\\"\\\\"\nb: 'it''s'\nc: 'one\n  two\n\n  three  '\nd: "p\n   q"\n`,
      want: { a: 'x\tyé"\\', b: "it's", c: 'one two\nthree  ', d: 'p q' },
    },
    { given: 'a: "x\\\n  y"\n', want: DECLINED },
    // Plain scalars over several lines (§7.3.3): one break is a space, an empty line a line feed.
    {
      given: 'a: one\n  two `x` - y\n\n  three\nb:\n  value on the next line\n',
      want: { a: 'one two `x` - y\nthree', b: 'value on the next line' },
    },
    { given: 'a: one\n  # a comment\n  two\n', want: DECLINED },
    // Literal block scalars with their chomping.
    {
      given: 'a: |\n  x\n\n   y\n\nb: |-\n  z\nc: x\n',
      want: { a: 'x\n\n y\n', b: 'z', c: 'x' },
    },
    { given: 'a: |+\n  x\n\n', want: DECLINED },
    { given: 'a: >\n  x\n  y\n', want: DECLINED },
    { given: 'a: |2\n   x\n', want: DECLINED },
    { given: 'a: |\n  x', want: DECLINED },
    // Unicode is text; a byte order mark or a non-printable character goes to js-yaml.
    { given: 'ключ: значение ✓\n', want: { ключ: 'значение ✓' } },
    { given: '\uFEFFa: 1\n', want: DECLINED },
    { given: 'a: \u0007\n', want: DECLINED },
    // A value on the line after its key or dash.
    { given: 'key:\n  |\n  text\n', want: { key: 'text\n' } },
    { given: '- \n  |\n  x\n', want: ['x\n'] },
    { given: 'a:\n  "q"\nb: 1\n', want: { a: 'q', b: 1 } },
    { given: "a:\n  'x\n  y'\n", want: { a: 'x y' } },
    { given: 'a:\n  ~\n', want: { a: null } },
    { given: 'a:\n  - |\n    x\n  - y\n', want: { a: ['x\n', 'y'] } },
    { given: 'a:\n  [1]\n', want: DECLINED },
    // Indentation js-yaml refuses.
    { given: 'a:\n  b: 1\n c: 2\n', want: DECLINED },
    { given: 'a: 1\n  b: 2\n', want: DECLINED },
    { given: 'a: 1\n- b\n', want: DECLINED },
  ]
  it.each(rows)('$given', ({ given, want }) => {
    const got = parseBlockYaml(given)
    expect(got).toEqual(want)
    if (want !== DECLINED) expect(jsYaml(given)).toEqual({ value: want })
    expect(agrees(given)).toBe(true)
  })

  it('keeps __proto__ an own key, as js-yaml does', () => {
    const got = parseBlockYaml('a: 1\n__proto__:\n  b: 2\n') as Record<string, unknown>
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype)
    expect(Object.keys(got)).toEqual(['a', '__proto__'])
    expect(isDeepStrictEqual(got, load('a: 1\n__proto__:\n  b: 2\n'))).toBe(true)
  })

  it('leaves nesting js-yaml may refuse to js-yaml', () => {
    const deep = (levels: number): string =>
      Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}k:\n`).join('') +
      `${' '.repeat(levels)}v: 1\n`
    expect(parseBlockYaml(deep(30))).not.toBe(DECLINED)
    expect(parseBlockYaml(deep(150))).toBe(DECLINED)
    expect(jsYaml(deep(150))).toHaveProperty('refused')
  })
})

// Every document of the real CRDs in the repository, and of a synthesized profile.
const CORPUS = ['../../../cli/test/corpus/crds', '../fixtures/crds', '../../../testkit/test'].map(
  (path) => fileURLToPath(new URL(path, import.meta.url)),
)
function filesUnder(dir: string, name: RegExp): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry)
      if (statSync(path).isDirectory()) return filesUnder(path, name)
      return name.test(entry) ? [path] : []
    })
}
const yamlFiles = (dir: string): string[] => filesUnder(dir, /\.ya?ml$/)
// The CRDs only: testkit's fixtures also hold hand-written manifests and Helm templates.
const documentsOf = (text: string, file: string): string[] =>
  [...splitYamlDocuments(text, file, DEFAULT_CRD_READ_LIMITS)]
    .map((d) => d.text)
    .filter((document) => /^kind: *CustomResourceDefinition *$/m.test(document))

describe('parseBlockYaml on real and synthesized CRDs', () => {
  it('reads every document of the CRD corpus exactly as js-yaml, declining few', () => {
    let read = 0
    let declined = 0
    for (const file of CORPUS.flatMap(yamlFiles)) {
      for (const text of documentsOf(readFileSync(file, 'utf8'), file)) {
        const fast = parseBlockYaml(text)
        if (fast === DECLINED) {
          declined++
          continue
        }
        read++
        expect(agrees(text), file).toBe(true)
      }
    }
    // The controller-gen CRDs of the corpus are all read; the hand-written fixtures use flow
    // collections, which go to js-yaml.
    expect(read).toBeGreaterThanOrEqual(38)
    expect(declined).toBeLessThan(read / 4)
  })

  it('reads a synthesized 40-CRD profile (as the e2e bench writes it) exactly as js-yaml', async () => {
    const profile = fileURLToPath(
      new URL('../../../../scripts/bench/_crd-profile.js', import.meta.url),
    )
    const { crdManifests } = (await import(profile)) as {
      crdManifests: (options: { crds: number; groupVersions: number }) => Iterable<unknown>
    }
    let count = 0
    for (const manifest of crdManifests({ crds: 40, groupVersions: 17 })) {
      const text = dump(manifest, { noRefs: true, lineWidth: -1 })
      const fast = parseBlockYaml(text)
      expect(fast).not.toBe(DECLINED)
      expect(agrees(text)).toBe(true)
      count++
    }
    expect(count).toBeGreaterThan(0)
  })

  const shared = recordedProfileDir()
  it.skipIf(shared === undefined)(
    'reads the recorded v3 documents dumped in several styles exactly as js-yaml (skipped without ../shared)',
    () => {
      const dir = join(shared as string, 'v3')
      const documents = filesUnder(dir, /\.json$/)
      const styles: DumpOptions[] = [
        { lineWidth: -1 },
        { lineWidth: 80 },
        { indent: 4, noArrayIndent: true, lineWidth: -1 },
        { quotingType: '"', forceQuotes: true, lineWidth: -1 },
      ]
      for (const file of documents) {
        const value = JSON.parse(readFileSync(file, 'utf8')) as unknown
        for (const style of styles) {
          const text = dump(value, { noRefs: true, ...style })
          expect(agrees(text), `${file} ${JSON.stringify(style)}`).toBe(true)
          if (style.lineWidth === -1) expect(parseBlockYaml(text)).not.toBe(DECLINED)
        }
      }
    },
  )
})

// Keys and text chosen where YAML has rules: core-schema words, number forms, indicators,
// quotes, comments, unicode, white space at the ends.
const TRICKY = [
  '__proto__',
  'constructor',
  'on',
  'yes',
  'null',
  'Null',
  '~',
  'true',
  'FALSE',
  '0x1F',
  '0o17',
  '1e3',
  '-1',
  '+1',
  '1_000',
  '.inf',
  '-.inf',
  '.nan',
  '007',
  '1.0',
  '-0',
  '1.2.3',
  '-',
  '- x',
  ':',
  'a:',
  'a: b',
  '? x',
  '#',
  'a #b',
  'a#b',
  '',
  ' ',
  ' lead',
  'trail ',
  "it's",
  '"q"',
  '\\',
  'a\nb',
  'a\n\nb',
  'line\n',
  '\ttab',
  '|',
  '>',
  '[x]',
  '{x}',
  '*a',
  '&a',
  '!t',
  '%',
  '@',
  '`',
  'ключ',
  'é✓',
  '日本',
  '😀',
  '\u2028',
  '\x85',
  'x'.repeat(90),
  'word '.repeat(20).trim(),
]
const tricky = fc.constantFrom(...TRICKY)
const text = fc.oneof(
  tricky,
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
)
const { node } = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(tricky, fc.string({ maxLength: 8 })), tie('node'), { maxKeys: 4 }),
  ),
}))
const style: fc.Arbitrary<DumpOptions> = fc.record({
  indent: fc.integer({ min: 1, max: 4 }),
  noArrayIndent: fc.boolean(),
  lineWidth: fc.constantFrom(-1, 20, 80),
  quotingType: fc.constantFrom("'" as const, '"' as const),
  forceQuotes: fc.boolean(),
  flowLevel: fc.constantFrom(-1, -1, 1, 2),
  sortKeys: fc.boolean(),
})

// YAML written line by line from pieces with rules of their own, most of them valid, some not.
const INDENTS = ['', ' ', '  ', '   ', '    ', '      ']
const KEYS = ['a', 'b', 'key', '"q k"', "'s k'", 'x y', '1', 'null', '__proto__', '-k', '? k', 'k#']
const VALUES = [
  '',
  ' 1',
  ' x',
  ' x # c',
  ' -1.5',
  ' 0x1F',
  ' "d\\tq"',
  " 's''q'",
  ' "open',
  " 'open",
  ' |',
  ' |-',
  ' |+',
  ' >',
  ' []',
  ' {}',
  ' [1]',
  ' a: b',
  ' a:',
  ' -',
  ' - x',
  ' &a x',
  ' *a',
  ' ~',
  ' true',
  ' x  ',
]
const line = fc.oneof(
  fc
    .tuple(fc.constantFrom(...INDENTS), fc.constantFrom(...KEYS), fc.constantFrom(...VALUES))
    .map(([indent, key, value]) => `${indent}${key}:${value}`),
  fc
    .tuple(fc.constantFrom(...INDENTS), fc.constantFrom(...VALUES))
    .map(([indent, value]) => `${indent}-${value}`),
  fc
    .tuple(
      fc.constantFrom(...INDENTS),
      fc.constantFrom('text', 'more text', 'close"', "close'", '# c', '', '---', '...'),
    )
    .map(([indent, rest]) => `${indent}${rest}`),
)

// A sloppy block-YAML writer: each scalar in a style picked at random (plain as it is, quoted,
// wrapped over lines, a literal block), comments, blank lines and trailing spaces here and there.
// It writes invalid YAML too, and YAML whose value is not the tree: js-yaml is the judge.
interface Choices {
  step: number
  seqAtKeyColumn: boolean
  picks: number[]
}
function writeBlock(value: unknown, choices: Choices): string {
  let next = 0
  const pick = (n: number): number => (choices.picks[next++ % choices.picks.length] ?? 0) % n
  const scalar = (v: unknown, column: number): string => {
    if (typeof v !== 'string') return ` ${JSON.stringify(v)}`
    const more = ' '.repeat(column + choices.step)
    switch (pick(6)) {
      case 0:
        return ` '${v.replaceAll("'", "''")}'`
      case 1:
        return ` ${JSON.stringify(v)}`
      case 2:
        return ` ${v.split(' ').join(`\n${more}`)}`
      case 3:
        return ` |${pick(2) === 0 ? '-' : ''}\n${v
          .split('\n')
          .map((l) => (l === '' ? '' : more + l))
          .join('\n')}`
      case 4:
        return `\n${more}${v}`
      default:
        return ` ${v}`
    }
  }
  const decorate = (): string => ['', '', '', ' # note', '  ', '\n', '\n# c'][pick(7)] as string
  const block = (v: unknown, column: number): string => {
    const pad = ' '.repeat(column)
    if (Array.isArray(v)) {
      if (v.length === 0) return ' []'
      return v.map((item) => `\n${pad}-${block(item, column + 2).replace(/^\n +/, ' ')}`).join('')
    }
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v)
      if (entries.length === 0) return ' {}'
      return entries
        .map(([k, item]) => {
          const key = pick(4) === 0 ? JSON.stringify(k) : k
          const inner =
            Array.isArray(item) && choices.seqAtKeyColumn ? column : column + choices.step
          return `\n${pad}${key}:${block(item, inner)}${decorate()}`
        })
        .join('')
    }
    return scalar(v, column)
  }
  return block(value, 0).replace(/^\n/, '') + '\n'
}
// Text as CRDs hold it (words, sentences, paths), now and then a tricky piece.
const words = fc
  .array(fc.constantFrom('spec', 'the', 'Name', 'of', 'v1', 'a-b', 'x.y/z', 'é', '10Gi', '1.2'), {
    minLength: 1,
    maxLength: 6,
  })
  .map((list) => list.join(' '))
const { crdLike } = fc.letrec((tie) => ({
  crdLike: fc.oneof(
    { depthSize: 'small' },
    fc.oneof({ arbitrary: words, weight: 6 }, { arbitrary: tricky, weight: 1 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('crdLike'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof({ arbitrary: fc.stringMatching(/^[a-zA-Z][\w.-]{0,8}$/), weight: 6 }, tricky),
      tie('crdLike'),
      { maxKeys: 4 },
    ),
  ),
}))
const choices: fc.Arbitrary<Choices> = fc.record({
  step: fc.integer({ min: 1, max: 4 }),
  seqAtKeyColumn: fc.boolean(),
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
})

describe('parseBlockYaml properties', () => {
  it('reads hand-styled block YAML as js-yaml does, or declines (property)', () => {
    let read = 0
    let runs = 0
    fc.assert(
      fc.property(
        fc.dictionary(words, crdLike, { minKeys: 1, maxKeys: 5 }),
        choices,
        (value, how) => {
          const written = writeBlock(value, how)
          runs++
          if (parseBlockYaml(written) !== DECLINED) read++
          expect(agrees(written)).toBe(true)
        },
      ),
      { numRuns: Number(process.env.RUNS ?? 3000) },
    )
    // The property is about reading, not declining: a good share is read.
    expect(read / runs).toBeGreaterThan(0.2)
  })

  it('reads what js-yaml dump writes, in any style, as js-yaml loads it (property)', () => {
    fc.assert(
      fc.property(node, style, (value, options) => {
        let written: string
        try {
          written = dump(value, { ...options, noRefs: true })
        } catch {
          return // a value js-yaml cannot write (no case here; kept for its own limits)
        }
        expect(agrees(written)).toBe(true)
      }),
      { numRuns: Number(process.env.RUNS ?? 2000) },
    )
  })

  it('never reads a text js-yaml refuses, nor reads one differently (property)', () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 10 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (lines, eol, final) => {
          const written = lines.join(eol) + (final ? eol : '')
          expect(agrees(written)).toBe(true)
        },
      ),
      { numRuns: Number(process.env.RUNS ?? 5000) },
    )
  })
})
