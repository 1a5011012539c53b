// fast-check: whatever text a CRD puts in a rule, a message, a pattern or a list key, the JSDoc
// printed from it holds exactly the tags the schema asks for, as TypeScript's own JSDoc parser
// reads them, and the comment ends where the generator ends it.
import fc from 'fast-check'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

import { jsDocText } from '../src/_source-text.js'
import { validationTags } from '../src/validation-doc.js'

// The characters that matter to a JSDoc comment and to Markdown, white space of every kind
// TypeScript's scanner knows, and plain letters.
const text = fc.string({
  unit: fc.constantFrom(
    ...['@', '`', '*', '/', '{', '}', '\\', ' ', '\t', '\n', '\r', '\u2028', '\u00a0'],
    ...['\u0085', '\u200b', '\u3000', '\ufeff', 'a', 'b', 'l', 'i', 'n', 'k', '-', '_', "'"],
  ),
  maxLength: 40,
})

/** The tag names TypeScript reads on the one interface the printed comment documents. */
function parsedTags(lines: readonly string[]): string[] | undefined {
  const printed = `${jsDocText(lines, 0)}interface X {}`
  const file = ts.createSourceFile('x.ts', printed, ts.ScriptTarget.Latest, true)
  const [only, ...rest] = file.statements
  if (only === undefined || rest.length > 0 || !ts.isInterfaceDeclaration(only)) return undefined
  return ts.getJSDocTags(only).map((tag) => tag.tagName.text)
}

describe('validation tags of hostile text', () => {
  it('are the tags asked for, in one comment, whatever the rule, message or pattern says', () => {
    fc.assert(
      fc.property(
        fc.record({ rule: text, message: text, messageExpression: text, fieldPath: text }),
        text,
        fc.array(text, { maxLength: 2 }),
        (rule, pattern, keys) => {
          const tags = validationTags(
            {
              pattern,
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': keys,
              'x-kubernetes-validations': [rule],
            },
            false,
          )
          const immutable = /^\s*(self\s*==\s*oldSelf|oldSelf\s*==\s*self)\s*$/.test(rule.rule)
          expect(parsedTags(['A description.', tags.join('\n')])).toEqual([
            'pattern',
            'listType',
            immutable ? 'immutable' : 'validation',
          ])
        },
      ),
      { numRuns: 2000 },
    )
  })
})
