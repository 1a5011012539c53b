// fast-check: the declarations written as text (emit-types.ts over _source-text.ts) read back,
// with the compiler's own parser, as exactly what the schema says whatever a server puts in a
// property name, an enum value or a description (quotes, `*/`, line terminators, `\`, `${`,
// non-BMP characters, reserved words, `__proto__`), and every literal, name and comment is
// written as the compiler's printer writes the node the factory builds for it.
import fc from 'fast-check'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

import { jsDocLines, jsDocText, propertyNameText, stringLiteral } from '../src/_source-text.js'
import { descriptorText, isProxied } from '../src/descriptors.js'
import { declarationText, docLines, type TypeEmitContext } from '../src/emit-types.js'
import { LITERALS_KEY, LITERAL_TYPE } from '../src/normalize.js'
import { RULES_KEY } from '../src/validation-doc.js'
import type { Schema } from '../src/types.js'

const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      ...["'", '"', '`', '${', '*/', '/*', '*', '/', '\\', '\n', '\r', '\r\n', '\u2028'],
      ...['\u2029', '\u0085', '\u0000', '0', '\t', '\v', '\f', '\b', ' ', '\u00a0', '\ufeff'],
      ...['\u200b', '\u3000', '\u007f', '\u001b', 'é', '😀', '\ud800', '@', 'a', 'Z', '_', '$'],
    ),
    fc.string({ unit: 'binary', maxLength: 2 }),
  ),
  maxLength: 24,
})
const propertyName = fc.oneof(
  hostile,
  fc.constantFrom('__proto__', 'constructor', 'class', 'default', 'toString', '0', '1e3', 'a-b'),
  fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,8}$/),
)

const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed })
const scratch = ts.createSourceFile('out.ts', '', ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)
const print = (node: ts.Node): string => printer.printNode(ts.EmitHint.Unspecified, node, scratch)

function parse(text: string): ts.SourceFile {
  const file = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const { parseDiagnostics } = file as unknown as { parseDiagnostics: readonly ts.Diagnostic[] }
  expect(parseDiagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '))).toEqual(
    [],
  )
  return file
}

// The oracle: the comment as a synthesized leading comment of a factory node, which the printer
// re-indents itself.
function withDoc<T extends ts.Node>(node: T, lines: readonly string[]): T {
  const parts = jsDocLines(lines)
  if (parts.length > 0)
    ts.addSyntheticLeadingComment(
      node,
      ts.SyntaxKind.MultiLineCommentTrivia,
      `*\n * ${parts.join('\n * ')}\n `,
      true,
    )
  return node
}

const ctx: TypeEmitContext = { resolveRef: () => ({ text: 'unknown' }), docs: true }

describe('a string literal written as text', () => {
  it('reads back as the string and is what the printer writes', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const text = stringLiteral(value)
        const [statement] = parse(`type X = ${text};`).statements
        const literal = (statement as ts.TypeAliasDeclaration).type as ts.LiteralTypeNode
        expect((literal.literal as ts.StringLiteral).text).toBe(value)
        expect(text).toBe(print(ts.factory.createStringLiteral(value, true)))
      }),
      { numRuns: 2000 },
    )
  })
})

describe('a property name written as text', () => {
  it('names exactly that property, bare only when it is a plain identifier', () => {
    fc.assert(
      fc.property(propertyName, (name) => {
        const text = propertyNameText(name)
        const [statement] = parse(`interface X { ${text}?: string }`).statements
        const [member, ...rest] = (statement as ts.InterfaceDeclaration).members
        expect(rest).toEqual([])
        const node = member?.name as ts.Identifier | ts.StringLiteral
        expect(node.text).toBe(name)
        if (name === '__proto__') expect(ts.isStringLiteral(node)).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('a JSDoc comment written as text', () => {
  it('documents the one member after it, as the printer writes the comment at any depth', () => {
    const f = ts.factory
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 3 }), fc.nat(3), (lines, depth) => {
        // `{ y?: { y?: … { x?: string } } }`, the comment on `x`, `depth` objects down.
        // Hostile validation rules: docLines turns them into the comment's lines.
        const x: Schema = { type: 'string', [RULES_KEY]: lines }
        let schema: Schema = { type: 'object', properties: { x } }
        let node: ts.TypeNode = f.createTypeLiteralNode([
          withDoc(
            f.createPropertySignature(
              undefined,
              'x',
              f.createToken(ts.SyntaxKind.QuestionToken),
              f.createKeywordTypeNode(ts.SyntaxKind.StringKeyword),
            ),
            docLines(x, false),
          ),
        ])
        for (let i = 0; i < depth; i++) {
          schema = { type: 'object', properties: { y: schema } }
          node = f.createTypeLiteralNode([
            f.createPropertySignature(
              undefined,
              'y',
              f.createToken(ts.SyntaxKind.QuestionToken),
              node,
            ),
          ])
        }
        const oracle = f.createInterfaceDeclaration(
          [f.createModifier(ts.SyntaxKind.ExportKeyword)],
          'X',
          undefined,
          undefined,
          (node as ts.TypeLiteralNode).members,
        )
        const text = declarationText('X', schema, { ...ctx, docs: false }, [])
        expect(text).toBe(print(oracle))
        expect(parse(text).statements.length).toBe(1)
        expect(parse(`${jsDocText(lines, 0)}interface X {}`).statements.length).toBe(1)
      }),
      { numRuns: 1000 },
    )
  })
})

describe('a declaration written as text', () => {
  it('has the properties and literals of its schema, whatever its comments say, and nothing else', () => {
    const object = fc.dictionary(
      propertyName,
      fc.record({
        description: hostile,
        values: fc.array(
          fc.oneof(hostile, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
      }),
      { maxKeys: 5 },
    )
    fc.assert(
      fc.property(object, hostile, (properties, description) => {
        const schema: Schema = {
          type: 'object',
          description,
          properties: Object.fromEntries(
            Object.entries(properties).map(([name, p]) => [
              name,
              { description: p.description, type: LITERAL_TYPE, [LITERALS_KEY]: p.values },
            ]),
          ),
        }
        const file = parse(declarationText('X', schema, ctx, [description]))
        const [declaration, ...rest] = file.statements
        expect(rest).toEqual([])
        const members = (declaration as ts.InterfaceDeclaration).members
        expect(members.map((m) => (m.name as ts.Identifier | ts.StringLiteral).text)).toEqual(
          Object.keys(properties).sort(),
        )
        for (const member of members) {
          const name = (member.name as ts.Identifier | ts.StringLiteral).text
          const type = (member as ts.PropertySignature).type as ts.TypeNode
          const literals = ts.isUnionTypeNode(type) ? type.types : [type]
          const read = literals
            .filter((t) => ts.isLiteralTypeNode(t) && t.literal.kind !== ts.SyntaxKind.NullKeyword)
            .map((t) => {
              const literal = (t as ts.LiteralTypeNode).literal
              if (ts.isStringLiteral(literal)) return literal.text
              if (ts.isPrefixUnaryExpression(literal))
                return -Number((literal.operand as ts.NumericLiteral).text)
              return Number((literal as ts.NumericLiteral).text)
            })
          expect(read).toEqual(properties[name]?.values.map((v) => (Object.is(v, -0) ? 0 : v)))
        }
      }),
      { numRuns: 500 },
    )
  })
})

// The oracle of a descriptor: its facts as the factory's literals, printed by the compiler.
type Data = string | number | boolean | readonly Data[] | { readonly [key: string]: Data }
function factoryData(data: Data, asType: boolean): ts.Expression | ts.TypeNode {
  const f = ts.factory
  if (typeof data === 'object' && Array.isArray(data)) {
    const items = (data as readonly Data[]).map((d) => factoryData(d, asType))
    if (!asType) return f.createArrayLiteralExpression(items as ts.Expression[])
    const tuple = f.createTupleTypeNode(items as ts.TypeNode[])
    return f.createTypeOperatorNode(
      ts.SyntaxKind.ReadonlyKeyword,
      ts.setEmitFlags(tuple, ts.EmitFlags.SingleLine),
    )
  }
  if (typeof data === 'object') {
    const entries = Object.entries(data as { readonly [key: string]: Data })
    const name = (key: string): ts.PropertyName =>
      propertyNameText(key) === key ? f.createIdentifier(key) : f.createStringLiteral(key, true)
    if (!asType)
      return f.createObjectLiteralExpression(
        entries.map(([k, v]) =>
          f.createPropertyAssignment(name(k), factoryData(v, false) as ts.Expression),
        ),
      )
    return f.createTypeLiteralNode(
      entries.map(([k, v]) =>
        f.createPropertySignature(
          [f.createModifier(ts.SyntaxKind.ReadonlyKeyword)],
          name(k),
          undefined,
          factoryData(v, true) as ts.TypeNode,
        ),
      ),
    )
  }
  const literal =
    typeof data === 'string'
      ? f.createStringLiteral(data, true)
      : typeof data === 'boolean'
        ? data
          ? f.createTrue()
          : f.createFalse()
        : data < 0
          ? f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createNumericLiteral(-data))
          : f.createNumericLiteral(data)
  return asType ? f.createLiteralTypeNode(literal) : literal
}

describe('a descriptor written as text', () => {
  const text = fc.oneof(hostile, fc.stringMatching(/^[a-z]{1,6}$/))
  const info = fc.record({
    group: text,
    version: text,
    apiVersion: text,
    kind: text,
    plural: text,
    singular: text,
    namespaced: fc.boolean(),
    verbs: fc.array(text, { maxLength: 3 }),
    subresources: fc.uniqueArray(
      fc.record({
        name: fc.stringMatching(/^[a-z]([-a-z0-9]{0,6}[a-z0-9])?$/),
        apiVersion: text,
        kind: text,
        verbs: fc.array(text, { maxLength: 2 }),
      }),
      { selector: (s) => s.name, maxLength: 2 },
    ),
    listKind: fc.option(text, { nil: undefined }),
    shortNames: fc.option(fc.array(text, { maxLength: 2 }), { nil: undefined }),
    categories: fc.option(fc.array(text, { maxLength: 2 }), { nil: undefined }),
    deprecationWarning: fc.option(text, { nil: undefined }),
    printerColumns: fc.option(
      fc.array(
        fc.record(
          {
            name: text,
            type: text,
            jsonPath: text,
            description: text,
            priority: fc.integer({ min: -3, max: 3 }),
            format: text,
          },
          { requiredKeys: ['name', 'type', 'jsonPath'] },
        ),
        { maxLength: 2 },
      ),
      { nil: undefined },
    ),
  })

  it('is what the printer writes for the factory statement, and reads back as one statement', () => {
    const f = ts.factory
    fc.assert(
      fc.property(info, fc.boolean(), (given, proxied) => {
        const resource = {
          ...given,
          ...(proxied ? { group: '', version: 'v1', plural: 'pods' } : {}),
        }
        if (proxied)
          resource.subresources = [{ name: 'proxy', apiVersion: 'v1', kind: 'x', verbs: [] }]
        const text = descriptorText('Widget', resource, 'Widget', '$a.WidgetList')
        // The facts as the compiler reads them back from the call's argument.
        const statement = parse(text).statements[0] as ts.VariableStatement
        const call = statement.declarationList.declarations[0]?.initializer as ts.CallExpression
        const facts = valueOf(call.arguments[0] as ts.Expression) as Record<string, Data>
        expect([facts.kind, facts.plural, facts.apiVersion, facts.verbs]).toEqual([
          resource.kind,
          resource.plural,
          resource.apiVersion,
          resource.verbs,
        ])
        const types = [f.createTypeReferenceNode('Widget'), qualifiedList()]
        const name = isProxied(resource) ? 'ProxiedResource' : 'Resource'
        const define = isProxied(resource) ? 'defineProxiedResource' : 'defineResource'
        const oracle = f.createVariableStatement(
          [f.createModifier(ts.SyntaxKind.ExportKeyword)],
          f.createVariableDeclarationList(
            [
              f.createVariableDeclaration(
                'Widget',
                undefined,
                f.createTypeReferenceNode(f.createQualifiedName(f.createIdentifier('$rt'), name), [
                  factoryData(facts, true) as ts.TypeNode,
                  ...types,
                ]),
                f.createCallExpression(
                  f.createCallExpression(
                    f.createPropertyAccessExpression(f.createIdentifier('$rt'), define),
                    types,
                    [],
                  ),
                  undefined,
                  [factoryData(facts, false) as ts.Expression],
                ),
              ),
            ],
            ts.NodeFlags.Const,
          ),
        )
        expect(text).toBe(print(oracle))
        expect(parse(text).statements.length).toBe(1)
      }),
      { numRuns: 500 },
    )
  })
})

// A literal expression's value: strings, numbers (with a prefix minus), booleans, arrays, objects.
function valueOf(node: ts.Expression): Data {
  if (ts.isStringLiteral(node)) return node.text
  if (ts.isNumericLiteral(node)) return Number(node.text)
  if (ts.isPrefixUnaryExpression(node)) return -Number(valueOf(node.operand))
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false
  if (ts.isArrayLiteralExpression(node)) return node.elements.map(valueOf)
  const object = node as ts.ObjectLiteralExpression
  return Object.fromEntries(
    object.properties.map((p) => {
      const assignment = p as ts.PropertyAssignment
      const name = assignment.name as ts.Identifier | ts.StringLiteral
      return [name.text, valueOf(assignment.initializer)]
    }),
  )
}

function qualifiedList(): ts.TypeNode {
  const f = ts.factory
  return f.createTypeReferenceNode(f.createQualifiedName(f.createIdentifier('$a'), 'WidgetList'))
}
