// The JSDoc of the generated types shows each field's validation rules, so an editor's hover says
// what the apiserver will refuse: rows over the tag renderer, over real CRDs (the CLI's corpus) and
// the recorded built-in documents, a hostile CRD that tries to leave the comment or forge tags,
// and the hover itself (the TypeScript language service's quick info, as VS Code asks for it).
import { recordedProfileDir } from '@k8s-codegen/testkit'
import ts from 'typescript'
import { beforeAll, describe, expect, it } from 'vitest'

import { generate } from '../src/index.js'
import { validationTags } from '../src/validation-doc.js'
import { corpusCrdInputs, crdInputs, crdObject, recordedInputs } from './_inputs.js'

/** The JSDoc tags of a declaration (or of one of its properties) as an editor reads them. */
function tagsOf(content: string, declaration: string, property?: string): string[] {
  const file = ts.createSourceFile('m.ts', content, ts.ScriptTarget.Latest, true)
  const found = file.statements.find(
    (s): s is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(s) && s.name.text === declaration,
  )
  if (found === undefined) throw new Error(`no interface ${declaration}`)
  const node =
    property === undefined
      ? found
      : found.members.find(
          (m) => m.name !== undefined && ts.isIdentifier(m.name) && m.name.text === property,
        )
  if (node === undefined) throw new Error(`no property ${declaration}.${property ?? ''}`)
  return ts.getJSDocTags(node).map((tag) => {
    const text = ts.getTextOfJSDocComment(tag.comment)
    return text === undefined ? `@${tag.tagName.text}` : `@${tag.tagName.text} ${text}`
  })
}

describe('validationTags', () => {
  it.each([
    { given: { type: 'string' }, want: [] },
    {
      given: { type: 'string', pattern: '^[a-z_]*$', minLength: 1, maxLength: 63 },
      want: ['@pattern `^[a-z_]*$`', '@minLength 1', '@maxLength 63'],
    },
    {
      given: { type: 'integer', format: 'int32', minimum: 1, maximum: 65535 },
      want: ['@format int32', '@minimum 1', '@maximum 65535'],
    },
    {
      // OpenAPI 3.0's boolean exclusiveMinimum/Maximum, printed as the JSON Schema keyword.
      given: {
        type: 'number',
        minimum: 0,
        exclusiveMinimum: true,
        maximum: 1,
        exclusiveMaximum: true,
      },
      want: ['@exclusiveMinimum 0', '@exclusiveMaximum 1'],
    },
    { given: { type: 'number', multipleOf: 0.5 }, want: ['@multipleOf 0.5'] },
    {
      given: { type: 'array', minItems: 1, maxItems: 16, uniqueItems: true },
      want: ['@minItems 1', '@maxItems 16', '@uniqueItems'],
    },
    {
      given: { type: 'object', minProperties: 1, maxProperties: 8 },
      want: ['@minProperties 1', '@maxProperties 8'],
    },
    // date-time and byte have their own line; int-or-string is in the type.
    { given: { type: 'string', format: 'date-time' }, want: [] },
    { given: { format: 'int-or-string' }, want: [] },
    { given: { type: 'string', format: 'uri' }, want: ['@format uri'] },
    // An enum the type cannot show (booleans, objects) is listed; one it shows is not.
    { given: { type: 'boolean', enum: [true] }, want: ['@enum `true`'] },
    {
      given: { type: 'object', enum: [{ a: 1 }, null] },
      want: ['@enum `{"a":1}`, `null`'],
    },
    {
      given: { type: 'array', 'x-kubernetes-list-type': 'set' },
      want: ['@listType set (no duplicate items)'],
    },
    {
      given: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
      },
      want: ['@listType map (items unique by `containerPort`, `protocol`)'],
    },
    // atomic is the default of every list and refuses nothing.
    { given: { type: 'array', 'x-kubernetes-list-type': 'atomic' }, want: [] },
    {
      given: {
        'x-kubernetes-validations': [
          { rule: 'self.min <= self.max', message: 'min must not exceed max' },
          { rule: 'self.size() > 0' },
          {
            rule: 'self.a == 1',
            messageExpression: "'a is ' + string(self.a)",
            reason: 'FieldValueForbidden',
            fieldPath: '.a',
          },
        ],
      },
      want: [
        '@validation `self.min <= self.max` — min must not exceed max',
        '@validation `self.size() > 0`',
        "@validation `self.a == 1` (message from `'a is ' + string(self.a)`; reason FieldValueForbidden; reported at `.a`)",
      ],
    },
    {
      // Transition rules run on update only, unless optionalOldSelf (apiextensions-apiserver
      // pkg/apiserver/schema/cel/compilation.go UsesOldSelf).
      given: {
        'x-kubernetes-validations': [
          { rule: '!has(oldSelf.x) || has(self.x)', message: 'x is required once set' },
          { rule: 'oldSelf.hasValue() || self > 0', optionalOldSelf: true },
        ],
      },
      want: [
        '@validation `!has(oldSelf.x) || has(self.x)` — x is required once set (on update)',
        '@validation `oldSelf.hasValue() || self > 0` (oldSelf optional)',
      ],
    },
    {
      given: {
        'x-kubernetes-validations': [
          { rule: 'self == oldSelf', message: 'Value is immutable' },
          { rule: 'oldSelf==self' },
          { rule: 'self == oldSelf', message: 'frozen', reason: 'FieldValueForbidden' },
        ],
      },
      want: [
        '@immutable Value is immutable',
        '@immutable',
        '@immutable frozen (reason FieldValueForbidden)',
      ],
    },
    {
      // Rules span lines in YAML; a tag stays on one.
      given: { 'x-kubernetes-validations': [{ rule: 'self.a ||\n  self.b', message: 'a\nor b' }] },
      want: ['@validation `self.a ||   self.b` — a or b'],
    },
    {
      // A backtick in a rule gets a longer fence, padded so it does not touch the fence.
      given: { pattern: '`a`' },
      want: ['@pattern `` `a` ``'],
    },
    {
      // Not what a schema can hold: ignored, never printed.
      given: { pattern: 1, minimum: '1', maxLength: Infinity, 'x-kubernetes-validations': [{}] },
      want: [],
    },
  ])('$given → $want', ({ given, want }) => {
    expect(validationTags(given, false)).toEqual(want)
  })

  it.each([
    // An `@` after white space outside backticks would start a tag: escaped, printed as `@`.
    { given: 'mail @admin for help', want: '— mail \\@admin for help' },
    { given: 'a@b and @ alone', want: '— a@b and @ alone' },
    { given: '@deprecated', want: '— \\@deprecated' },
  ])('escapes the tag start in message $given', ({ given, want }) => {
    const [tag] = validationTags(
      { 'x-kubernetes-validations': [{ rule: 'r', message: given }] },
      false,
    )
    expect(tag).toBe(`@validation \`r\` ${want}`)
  })
})

describe('validation rules in the JSDoc of real CRDs', () => {
  const modules = new Map<string, string>()
  beforeAll(async () => {
    for (const project of ['gateway-api', 'cert-manager', 'cluster-api', 'external-snapshotter']) {
      const { files } = await generate({
        groupVersions: await corpusCrdInputs(project),
        lockfileHash: 'x',
      })
      for (const [path, content] of files) modules.set(`${project}:${path}`, content)
    }
  }, 60_000)

  it.each([
    {
      given: ['gateway-api:gateway.networking.k8s.io/v1.ts', 'GatewayClassSpec', 'controllerName'],
      want: [
        "@pattern `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$`",
        '@minLength 1',
        '@maxLength 253',
        '@immutable field is immutable',
      ],
    },
    {
      given: ['gateway-api:gateway.networking.k8s.io/v1.ts', 'HTTPRouteSpec', 'hostnames'],
      want: [
        '@maxItems 16',
        '@pattern `^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$` (each item)',
        '@minLength 1 (each item)',
        '@maxLength 253 (each item)',
      ],
    },
    {
      // An object's own CEL rule is on its named sub-type, not on the field of that type.
      given: ['gateway-api:gateway.networking.k8s.io/v1.ts', 'HTTPRouteSpecRulesBackendRefs'],
      want: [
        "@validation `(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true` — Must have port for Service reference",
      ],
    },
    {
      given: ['gateway-api:gateway.networking.k8s.io/v1.ts', 'HTTPRouteSpecRules', 'backendRefs'],
      want: ['@maxItems 16'],
    },
    {
      given: [
        'cluster-api:cluster.x-k8s.io/v1beta2.ts',
        'MachineDeploymentSpecTemplateSpec',
        'taints',
      ],
      want: ['@minItems 1', '@maxItems 64', '@listType map (items unique by `key`, `effect`)'],
    },
    {
      given: [
        'cluster-api:cluster.x-k8s.io/v1beta2.ts',
        'MachineDeploymentSpecTemplateSpecReadinessGates',
        'conditionType',
      ],
      want: [
        '@pattern `^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$`',
        '@minLength 1',
        '@maxLength 316',
      ],
    },
    {
      given: ['cert-manager:cert-manager.io/v1.ts', 'IssuerSpecVenafi'],
      want: [
        '@validation `(has(self.tpp) ? 1 : 0) + (has(self.cloud) ? 1 : 0) + (has(self.ngts) ? 1 : 0) == 1` — exactly one of tpp, cloud, or ngts must be configured',
      ],
    },
    {
      given: ['external-snapshotter:snapshot.storage.k8s.io/v1.ts', 'VolumeSnapshotSpecSource'],
      want: [
        '@validation `!has(oldSelf.persistentVolumeClaimName) || has(self.persistentVolumeClaimName)` — persistentVolumeClaimName is required once set (on update)',
        '@validation `!has(oldSelf.volumeSnapshotContentName) || has(self.volumeSnapshotContentName)` — volumeSnapshotContentName is required once set (on update)',
        '@validation `(has(self.volumeSnapshotContentName) && !has(self.persistentVolumeClaimName)) || (!has(self.volumeSnapshotContentName) && has(self.persistentVolumeClaimName))` — exactly one of volumeSnapshotContentName and persistentVolumeClaimName must be set',
      ],
    },
    {
      given: [
        'external-snapshotter:snapshot.storage.k8s.io/v1.ts',
        'VolumeSnapshotContentSpecSource',
        'snapshotHandle',
      ],
      want: ['@immutable snapshotHandle is immutable'],
    },
  ] as const)('$given.1 $given.2', ({ given: [module, declaration, property], want }) => {
    expect(tagsOf(modules.get(module) ?? '', declaration, property)).toEqual(want)
  })

  it('prints each CEL rule once, wherever its type is used', () => {
    const content = modules.get('gateway-api:gateway.networking.k8s.io/v1.ts') ?? ''
    const rule = "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true"
    // Once per named sub-type that carries it (each route kind's backendRefs and filters' refs).
    const declarations = [
      ...content.matchAll(/^ \* @validation (.*)\n \*\/\nexport interface (\w+)/gm),
    ]
      .filter((m) => m[1]?.includes(rule))
      .map((m) => m[2])
    expect(content.split(rule).length - 1).toBe(declarations.length)
    expect(declarations.length).toBeGreaterThan(0)
  })
})

const recorded = recordedProfileDir()
if (recorded === undefined) {
  console.warn(
    'validation-doc.test.ts built-in rows skipped: ../shared/fixtures/kubernetes is absent (set K8S_CODEGEN_SHARED_DIR)',
  )
}

describe.skipIf(recorded === undefined)('validation rules in the JSDoc of built-ins', () => {
  let files = new Map<string, string>()
  beforeAll(async () => {
    ;({ files } = await generate({
      groupVersions: await recordedInputs(recorded ?? ''),
      lockfileHash: 'x',
    }))
  }, 60_000)

  it.each([
    {
      given: ['core/v1.ts', 'Container', 'ports'],
      want: ['@listType map (items unique by `containerPort`, `protocol`)'],
    },
    { given: ['core/v1.ts', 'ContainerPort', 'containerPort'], want: ['@format int32'] },
    // The wire-format line, not a tag.
    { given: ['meta/v1.ts', 'ObjectMeta', 'creationTimestamp'], want: [] },
    { given: ['meta/v1.ts', 'ObjectMeta', 'generation'], want: ['@format int64'] },
  ] as const)('$given.1 $given.2', ({ given: [module, declaration, property], want }) => {
    expect(tagsOf(files.get(module) ?? '', declaration, property)).toEqual(want)
  })
})

// A CRD whose rules, patterns, messages and list keys try to end the comment, forge a tag or
// break the code span they are printed in.
const hostile = crdObject('example.dev', 'v1', 'Trap', {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      'x-kubernetes-validations': [
        { rule: "self.a != '*/ export const pwned = 1 /*'", message: '*/ @deprecated' },
      ],
      properties: {
        a: {
          type: 'string',
          pattern: '^a*/ export const pwned = 2; /*$',
          format: '*/\n@deprecated x',
          'x-kubernetes-validations': [
            {
              rule: "self != '` @deprecated `'",
              message: 'line one\n@deprecated line two\u2028@see evil',
              messageExpression: "'*/' + ' @private'",
              fieldPath: '.a */ @internal',
            },
            { rule: 'self == oldSelf', message: '@deprecated frozen */' },
          ],
        },
        b: {
          type: 'array',
          items: {
            type: 'object',
            properties: { k: { type: 'string' } },
            required: ['k'],
          },
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['k'],
          maxItems: 2,
        },
      },
    },
  },
})

describe('a hostile CRD', () => {
  it('cannot leave the comment, forge a tag or add a statement', async () => {
    const { files } = await generate({
      groupVersions: crdInputs([hostile]),
      lockfileHash: 'x',
      options: { nocheck: false },
    })
    const content = files.get('example.dev/v1.ts') ?? ''
    const file = ts.createSourceFile('m.ts', content, ts.ScriptTarget.Latest, true)
    const statements = file.statements.map((s) => {
      if (ts.isImportDeclaration(s)) return 'import'
      if (ts.isVariableStatement(s))
        return `const ${s.declarationList.declarations[0]?.name.getText() ?? ''}`
      return ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)
        ? s.name.text
        : s.getText()
    })
    expect(statements).toEqual([
      'import',
      'import',
      'Trap',
      'TrapSpec',
      'TrapSpecB',
      'TrapList',
      'const Trap',
    ])
    expect(content).not.toContain('pwned = 1 /*\n')
    expect(tagsOf(content, 'TrapSpec')).toEqual([
      "@validation `self.a != '*\\/ export const pwned = 1 /*'` — *\\/ \\@deprecated",
    ])
    expect(tagsOf(content, 'TrapSpec', 'a')).toEqual([
      '@pattern `^a*\\/ export const pwned = 2; /*$`',
      '@format *\\/ \\@deprecated x',
      "@validation ``self != '` @deprecated `'`` — line one \\@deprecated line two \\@see evil (message from `'*\\/' + ' @private'`; reported at `.a *\\/ @internal`)",
      '@immutable \\@deprecated frozen *\\/',
    ])
    expect(tagsOf(content, 'TrapSpec', 'b')).toEqual([
      '@maxItems 2',
      '@listType map (items unique by `k`)',
    ])
  })
})

/** What an editor shows on hover: the language service's quick info at `at` in `user`. */
function hover(files: ReadonlyMap<string, string>, user: string, at: string): string {
  const sources = new Map([...files].map(([path, content]) => [`/out/${path}`, content]))
  sources.set('/out/user.ts', user)
  const read = (name: string): string | undefined =>
    sources.get(name) ?? (name.startsWith('/out/') ? undefined : ts.sys.readFile(name))
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => ({
      strict: true,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      noEmit: true,
      types: [],
    }),
    getScriptFileNames: () => ['/out/user.ts'],
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => {
      const text = read(name)
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text)
    },
    getCurrentDirectory: () => '/out',
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (name) => read(name) !== undefined,
    readFile: read,
  }
  const service = ts.createLanguageService(host)
  const info = service.getQuickInfoAtPosition('/out/user.ts', user.indexOf(at))
  service.dispose()
  if (info === undefined) return ''
  return [
    ts.displayPartsToString(info.displayParts),
    ts.displayPartsToString(info.documentation),
    ...(info.tags ?? []).map((t) => `@${t.name} ${ts.displayPartsToString(t.text)}`.trimEnd()),
  ].join('\n')
}

describe('the hover of an editor', () => {
  let files = new Map<string, string>()
  beforeAll(async () => {
    ;({ files } = await generate({
      groupVersions: await corpusCrdInputs('gateway-api'),
      lockfileHash: 'x',
    }))
  }, 60_000)

  const user = [
    "import type { GatewayClass, HTTPRouteSpecRulesBackendRefs } from './gateway.networking.k8s.io/v1.js'",
    "export const gc: GatewayClass = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'x' }, spec: { controllerName: 'example.com/gw' } }",
    "export const ref: HTTPRouteSpecRulesBackendRefs = { name: 'svc', port: 80 }",
  ].join('\n')

  it.each([
    {
      given: 'controllerName:',
      want: [
        '(property) GatewayClassSpec.controllerName: string',
        'ControllerName is the name of the controller that is managing Gateways of',
        "@pattern `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$`",
        '@minLength 1',
        '@maxLength 253',
        '@immutable field is immutable',
      ],
    },
    {
      given: 'HTTPRouteSpecRulesBackendRefs =',
      want: [
        "@validation `(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true` — Must have port for Service reference",
      ],
    },
  ])('on $given shows the rules', ({ given, want }) => {
    const shown = hover(files, user, given)
    for (const line of want) expect(shown).toContain(line)
  })
})
