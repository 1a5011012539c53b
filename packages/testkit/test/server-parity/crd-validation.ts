// CustomResourceDefinitions kube-apiserver refuses (apiextensions-apiserver validation.go
// ValidateCustomResourceDefinition and …Update, crd-validation.ts): the mistakes users make in
// CRDs they write or download, each answered with the server's 422 and its causes. CRDs are
// cluster-wide: each row has a group of its own; refused creates leave nothing behind.
import type { ParityRow, Request } from './_scenario.js'

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions'

const schema = { openAPIV3Schema: { type: 'object' } }

interface Version {
  name: string
  served?: boolean
  storage: boolean
  schema?: unknown
  subresources?: unknown
  additionalPrinterColumns?: unknown
}

/** A CRD of `group` named `<plural>.<group>` unless `name` says otherwise. */
function crd(
  group: string,
  versions: Version[],
  extra: {
    name?: string
    spec?: Record<string, unknown>
    annotations?: Record<string, string>
  } = {},
): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: extra.name ?? `widgets.${group}`,
      ...(extra.annotations === undefined ? {} : { annotations: extra.annotations }),
    },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' },
      versions: versions.map((v) => ({ served: true, ...v })),
      ...extra.spec,
    },
  }
}

// A schema whose `a` has `format` twice over, and a set of objects.
const warnedSchema = (format: string): unknown => ({
  openAPIV3Schema: {
    type: 'object',
    properties: {
      a: { type: 'string', format },
      b: { type: 'string', format },
      c: {
        type: 'array',
        'x-kubernetes-list-type': 'set',
        items: { type: 'object', 'x-kubernetes-map-type': 'atomic' },
      },
    },
  },
})

const create = (body: Record<string, unknown>): Request => ({ method: 'POST', path: CRDS, body })
const v1 = { name: 'v1', storage: true, schema }

const rvOf = (body: unknown): string =>
  String((body as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion)

export const crdValidations: ParityRow[] = [
  {
    given: {
      name: 'a CRD whose group has no dot, or is no DNS subdomain, is refused',
      steps: [create(crd('widgetsexample', [v1])), create(crd('Widgets.Example.com', [v1]))],
    },
  },
  {
    given: {
      name: 'a CRD whose name is not plural.group is refused',
      steps: [create(crd('named.example.dev', [v1], { name: 'widget.named.example.dev' }))],
    },
  },
  {
    given: {
      name: 'a CRD without a storage version, or with two, is refused with its versions as the server holds them',
      steps: [
        create(crd('nostorage.example.dev', [{ ...v1, storage: false }])),
        create(crd('twostorage.example.dev', [v1, { ...v1, name: 'v2' }])),
        create(
          crd('twoschemas.example.dev', [
            v1,
            {
              name: 'v2',
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: { spec: { type: 'object', maxProperties: 3, required: ['a'] } },
                },
              },
            },
          ]),
        ),
      ],
    },
  },
  {
    given: {
      name: 'a v1 CRD without a schema, or with a non-structural one, is refused',
      steps: [
        create(crd('noschema.example.dev', [{ name: 'v1', storage: true }])),
        create(
          crd('nonstructural.example.dev', [
            {
              name: 'v1',
              storage: true,
              schema: {
                openAPIV3Schema: {
                  properties: {
                    spec: { properties: { size: { type: 'integer' }, any: {} } },
                    list: { type: 'array' },
                  },
                },
              },
            },
          ]),
        ),
        create(
          crd('rootstring.example.dev', [
            { name: 'v1', storage: true, schema: { openAPIV3Schema: { type: 'string' } } },
            { name: 'v2', storage: false, schema },
          ]),
        ),
      ],
    },
  },
  {
    given: {
      name: 'a CRD schema with an unknown type or a forbidden keyword is refused',
      steps: [
        create(
          crd('keywords.example.dev', [
            {
              name: 'v1',
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  additionalProperties: { type: 'string' },
                  properties: { t: { type: 'strin' } },
                },
              },
            },
          ]),
        ),
        create(
          crd('preserve.example.dev', [
            {
              name: 'v1',
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    p: { type: 'object', 'x-kubernetes-preserve-unknown-fields': false },
                  },
                },
              },
            },
          ]),
        ),
      ],
    },
  },
  {
    given: {
      name: 'a CRD schema breaking the x-kubernetes list and map rules is refused',
      steps: [
        ['map', { type: 'array', 'x-kubernetes-list-type': 'map', items: { type: 'string' } }],
        [
          'keys',
          {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['a', 'b', 'c', 'a'],
            items: {
              type: 'object',
              required: ['b'],
              properties: {
                a: { type: 'string' },
                b: { type: 'array', items: { type: 'string' } },
              },
            },
          },
        ],
        [
          'set',
          {
            type: 'array',
            'x-kubernetes-list-type': 'set',
            items: { type: 'object', nullable: true, properties: { a: { type: 'string' } } },
          },
        ],
        ['object', { type: 'object', 'x-kubernetes-list-type': 'atomic' }],
      ].map(([name, l]) =>
        create(
          crd(`${name as string}.lists.example.dev`, [
            {
              name: 'v1',
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', properties: { l } } },
            },
          ]),
        ),
      ),
    },
  },
  {
    given: {
      name: 'a CRD with a bad scale path, printer column, status-root schema or conversion is refused',
      steps: [
        create(
          crd('paths.example.dev', [
            {
              ...v1,
              subresources: {
                status: {},
                scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: '.replicas' },
              },
              additionalPrinterColumns: [{ name: 'A', jsonPath: 'spec.a' }],
            },
          ]),
        ),
        create(
          crd('statusroot.example.dev', [
            {
              name: 'v1',
              storage: true,
              subresources: { status: {} },
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  anyOf: [{ required: ['spec'] }],
                  properties: { spec: { type: 'object' } },
                },
              },
            },
          ]),
        ),
        create(crd('webhook.example.dev', [v1], { spec: { conversion: { strategy: 'Webhook' } } })),
        create(
          crd('webhookurl.example.dev', [v1], {
            spec: {
              conversion: {
                strategy: 'Webhook',
                webhook: {
                  clientConfig: { url: 'http://user@convert.example.dev/x?q=1#f' },
                  conversionReviewVersions: ['v2', 'v2'],
                },
              },
            },
          }),
        ),
        create(
          crd('webhookservice.example.dev', [v1], {
            spec: {
              conversion: {
                strategy: 'Webhook',
                webhook: {
                  clientConfig: { service: { name: 'convert', port: 0, path: 'a//B/' } },
                  conversionReviewVersions: ['v1'],
                },
              },
            },
          }),
        ),
      ],
    },
  },
  {
    given: {
      name: 'a CRD with invalid names, scope or version names is refused',
      steps: [
        create(
          crd('names.example.dev', [{ ...v1, name: 'V1' }], {
            spec: {
              scope: 'Everywhere',
              names: {
                plural: 'widgets',
                singular: 'Wid get',
                kind: 'widget',
                listKind: 'widget',
                shortNames: ['W-1'],
                categories: ['all things'],
              },
            },
          }),
        ),
        create({
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'widgets.empty.example.dev' },
          spec: {},
        }),
      ],
    },
  },
  {
    given: {
      name: 'a CRD of a protected group needs the api-approved.kubernetes.io annotation',
      steps: [
        create(crd('approval.k8s.io', [v1])),
        create(
          crd('approval.k8s.io', [v1], { annotations: { 'api-approved.kubernetes.io': 'yes' } }),
        ),
        create(
          crd('approval.kubernetes.io', [v1], {
            annotations: { 'api-approved.kubernetes.io': 'unapproved, testing only' },
          }),
        ),
        // Its answer carries whatever status the controllers wrote by then: not compared.
        {
          method: 'DELETE',
          path: `${CRDS}/widgets.approval.kubernetes.io`,
          view: () => 'deleted',
        },
      ],
    },
    want: {
      simplifications: ['managed fields'],
      differences: ['#2.body.metadata.managedFields[]'],
    },
  },
  {
    given: {
      name: 'a CRD with unrecognized formats or a set of objects is created with Warnings; an update warns of what it adds',
      steps: [
        create(crd('warned.example.dev', [{ ...v1, schema: warnedSchema('semver') }])),
        // Established (the controllers' two writes) before it is read for the update.
        (answers) => ({
          watch: `${CRDS}?watch=true&fieldSelector=metadata.name%3Dwidgets.warned.example.dev&resourceVersion=${rvOf(answers.at(-1)?.body)}&timeoutSeconds=5`,
          events: 2,
        }),
        { path: `${CRDS}/widgets.warned.example.dev`, view: () => 'read' },
        (answers) => ({
          method: 'PUT',
          path: `${CRDS}/widgets.warned.example.dev`,
          body: {
            ...crd('warned.example.dev', [{ ...v1, schema: warnedSchema('uint8') }]),
            metadata: {
              name: 'widgets.warned.example.dev',
              resourceVersion: rvOf(answers.at(-1)?.body),
            },
          },
          view: () => 'replaced',
        }),
        { method: 'DELETE', path: `${CRDS}/widgets.warned.example.dev`, view: () => 'deleted' },
      ],
    },
    want: {
      simplifications: ['managed fields'],
      differences: ['#0.body.metadata.managedFields[]', '#1.events[].object.metadata'],
    },
  },
  {
    given: {
      name: 'a CRD update may not change its group, plural or (once established) scope, nor drop a stored version',
      // Established first: the scope is immutable from then on.
      setup: [
        create(crd('immutable.example.dev', [v1])),
        (answers) => ({
          watch: `${CRDS}?watch=true&fieldSelector=metadata.name%3Dwidgets.immutable.example.dev&resourceVersion=${rvOf(answers[0]?.body)}&timeoutSeconds=5`,
          events: 2,
        }),
      ],
      steps: [
        { path: `${CRDS}/widgets.immutable.example.dev`, view: () => 'read' },
        (answers) => ({
          method: 'PUT',
          path: `${CRDS}/widgets.immutable.example.dev`,
          body: {
            ...crd('other.example.dev', [{ ...v1, name: 'v2' }], {
              name: 'widgets.immutable.example.dev',
              spec: { scope: 'Cluster', names: { plural: 'gadgets', kind: 'Gadget' } },
            }),
            metadata: {
              name: 'widgets.immutable.example.dev',
              resourceVersion: rvOf(answers.at(-1)?.body),
            },
          },
        }),
        { method: 'DELETE', path: `${CRDS}/widgets.immutable.example.dev`, view: () => 'deleted' },
      ],
    },
  },
]

// A schema whose `spec` has fields of each kind a selectable field may or may not name.
const selectableSchema = {
  openAPIV3Schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          color: { type: 'string', enum: ['red', 'blue'] },
          count: { type: 'integer' },
          on: { type: 'boolean' },
          ratio: { type: 'number' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          tags: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
}

const selectable = (jsonPaths: string[]): Version => ({
  ...v1,
  schema: selectableSchema,
  ...{ selectableFields: jsonPaths.map((jsonPath) => ({ jsonPath })) },
})

// x-kubernetes-validations on `spec` of a one-version CRD.
const withRules = (rules: unknown[], spec: Record<string, unknown> = {}): Version => ({
  ...v1,
  schema: {
    openAPIV3Schema: {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: { a: { type: 'integer' }, s: { type: 'string' }, ...spec },
          'x-kubernetes-validations': rules,
        },
      },
    },
  },
})

// A schema with `default`s under `spec`.
const withDefaults = (properties: Record<string, unknown>): Version => ({
  ...v1,
  schema: {
    openAPIV3Schema: {
      type: 'object',
      properties: { spec: { type: 'object', properties } },
    },
  },
})

const selected = 'selected.example.dev'
const widget = (name: string, spec: Record<string, unknown>): Request => ({
  method: 'POST',
  path: `/apis/${selected}/v1/namespaces/{ns}/widgets`,
  body: { apiVersion: `${selected}/v1`, kind: 'Widget', metadata: { name }, spec },
})
const names = (body: unknown): unknown =>
  (body as { items?: { metadata: { name: string } }[] }).items?.map((i) => i.metadata.name) ?? body

crdValidations.push(
  {
    given: {
      name: 'a CRD whose selectable fields are missing, unknown, in metadata, not a scalar, repeated or too many is refused',
      steps: [
        create(
          crd('selectable.example.dev', [
            selectable([
              '',
              '.spec.missing',
              '.metadata.name',
              '.spec.ratio',
              '.spec.labels',
              '.spec.tags',
              ".spec['color']",
              'spec.color',
              '.spec.color',
              '.spec.color',
            ]),
          ]),
        ),
        create(
          crd('many.example.dev', [
            {
              ...v1,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: {
                      type: 'object',
                      properties: Object.fromEntries(
                        [...'abcdefghi'].map((k) => [k, { type: 'string' }]),
                      ),
                    },
                  },
                },
              },
              ...{ selectableFields: [...'abcdefghi'].map((k) => ({ jsonPath: `.spec.${k}` })) },
            },
          ]),
        ),
      ],
    },
  },
  {
    given: {
      name: 'a CRD with selectable fields serves them as field selectors on list and watch, and refuses other fields',
      setup: [
        create(crd(selected, [selectable(['.spec.color', '.spec.count', '.spec.on'])])),
        (answers) => ({
          watch: `${CRDS}?watch=true&fieldSelector=metadata.name%3Dwidgets.${selected}&resourceVersion=${rvOf(answers[0]?.body)}&timeoutSeconds=5`,
          events: 2,
        }),
        widget('red', { color: 'red', count: 3, on: true }),
        widget('blue', { color: 'blue', count: 1 }),
        widget('plain', {}),
      ],
      steps: [
        {
          path: `/apis/${selected}/v1/namespaces/{ns}/widgets?fieldSelector=spec.color%3Dred`,
          view: names,
        },
        {
          path: `/apis/${selected}/v1/namespaces/{ns}/widgets?fieldSelector=spec.color!%3Dred`,
          view: names,
        },
        {
          path: `/apis/${selected}/v1/namespaces/{ns}/widgets?fieldSelector=spec.count%3D1`,
          view: names,
        },
        {
          path: `/apis/${selected}/v1/namespaces/{ns}/widgets?fieldSelector=spec.on%3Dtrue`,
          view: names,
        },
        {
          path: `/apis/${selected}/v1/namespaces/{ns}/widgets?fieldSelector=spec.count%3D`,
          view: names,
        },
        {
          path: `/apis/${selected}/v1/namespaces/{ns}/widgets?fieldSelector=metadata.name%3Dblue,spec.color%3Dblue`,
          view: names,
        },
        { path: `/apis/${selected}/v1/namespaces/{ns}/widgets?fieldSelector=spec.ratio%3D1` },
        { path: `/apis/${selected}/v1/widgets?fieldSelector=spec.color%3Dblue`, view: names },
        {
          watch: `/apis/${selected}/v1/namespaces/{ns}/widgets?watch=true&fieldSelector=spec.color%3Dred&timeoutSeconds=1`,
        },
        {
          path: `/openapi/v3/apis/${selected}/v1`,
          view: (body) =>
            (body as { components: { schemas: Record<string, Record<string, unknown>> } })
              .components.schemas['dev.example.selected.v1.Widget']?.[
              'x-kubernetes-selectable-fields'
            ],
        },
        { method: 'DELETE', path: `${CRDS}/widgets.${selected}`, view: () => 'deleted' },
      ],
    },
    want: { simplifications: ['managed fields'], differences: ['#8.events[].object.metadata'] },
  },
  {
    given: {
      name: 'a CRD whose x-kubernetes-validations lack a rule, or have a bad message, messageExpression, reason or fieldPath, is refused',
      steps: [
        create(
          crd('ruled.example.dev', [
            withRules([
              { rule: ' ' },
              { rule: 'self.a > 0', message: ' ' },
              { rule: 'self.a > 0', message: 'two\nlines' },
              { rule: 'self.a >\n0' },
              { rule: 'self.a > 0', messageExpression: ' ' },
              { rule: 'self.a > 0', reason: 'FieldValueBogus' },
              { rule: 'self.a > 0', fieldPath: ' ' },
              { rule: 'self.a > 0', fieldPath: '.a\n' },
              { rule: 'self.a > 0', fieldPath: '.missing' },
              { rule: 'self.a > 0', fieldPath: 'a' },
            ]),
          ]),
        ),
      ],
    },
  },
  {
    given: {
      name: 'a CRD whose x-kubernetes-validations do not compile, or set optionalOldSelf without oldSelf, is refused',
      steps: [
        create(
          crd('compiled.example.dev', [
            withRules([
              { rule: 'self.a >' },
              { rule: 'self.a > 0', messageExpression: "'a is ' +" },
              { rule: 'self.a > 0', optionalOldSelf: true },
              { rule: 'oldSelf.hasValue() || self.a > 0', optionalOldSelf: true },
              { rule: 'self.a == oldSelf.a' },
            ]),
          ]),
        ),
        create(crd('checked.example.dev', [withRules([{ rule: 'self.nope == 1' }])])),
      ],
    },
    // A syntax error is reported in @bufbuild/cel's words and at its column.
    want: {
      simplifications: ['CRD validation'],
      differences: ['#0.body.details.causes[]', '#0.body.message'],
    },
  },
  {
    given: {
      name: 'a CRD whose rules are estimated too expensive, alone or together, is refused',
      steps: [
        create(
          crd('costly.example.dev', [
            withRules([{ rule: 'self.l.all(x, self.l.all(y, x == y))' }], {
              l: { type: 'array', items: { type: 'string' } },
            }),
          ]),
        ),
      ],
    },
    // The emulator estimates no costs: it creates the CRD.
    want: {
      simplifications: ['CRD validation'],
      differences: [
        '#0.body.apiVersion',
        '#0.body.code',
        '#0.body.details',
        '#0.body.kind',
        '#0.body.message',
        '#0.body.metadata.creationTimestamp',
        '#0.body.metadata.generation',
        '#0.body.metadata.managedFields',
        '#0.body.metadata.name',
        '#0.body.metadata.resourceVersion',
        '#0.body.metadata.uid',
        '#0.body.reason',
        '#0.body.spec',
        '#0.body.status',
        '#0.status',
      ],
    },
  },
  {
    given: {
      name: 'a CRD whose schema defaults break their schema, its rules or metadata, or are not pruned, is refused',
      steps: [
        // One default each: the server visits a schema's properties in Go's random map order.
        ...Object.entries({
          n: { type: 'integer', default: 'x' },
          s: { type: 'string', maxLength: 2, default: 'long' },
          o: {
            type: 'object',
            properties: { a: { type: 'string' } },
            default: { a: 'x', b: 'unknown' },
          },
          r: {
            type: 'integer',
            default: 0,
            'x-kubernetes-validations': [{ rule: 'self > 0', message: 'must be positive' }],
          },
          e: { type: 'string', enum: ['a'], default: 'b' },
          a: {
            type: 'array',
            items: { type: 'string', default: 1 },
            default: ['x', 2],
          },
        }).map(([key, property]) =>
          create(crd(`${key}.defaulted.example.dev`, [withDefaults({ [key]: property })])),
        ),
        create(
          crd('metadefault.example.dev', [
            {
              ...v1,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    metadata: {
                      type: 'object',
                      properties: { name: { type: 'string', default: 'Not_A_Name' } },
                    },
                    spec: {
                      type: 'object',
                      properties: {
                        embedded: {
                          type: 'object',
                          'x-kubernetes-embedded-resource': true,
                          'x-kubernetes-preserve-unknown-fields': true,
                          properties: {
                            metadata: {
                              type: 'object',
                              properties: { name: { type: 'string', default: 'Bad_Name' } },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          ]),
        ),
      ],
    },
  },
  {
    given: {
      name: 'a CRD update compiles its unchanged rules again: one reading a field the update removes is refused',
      // Established first (the controllers' two writes), then read for its resourceVersion.
      setup: [
        create(crd('recompiled.example.dev', [withRules([{ rule: 'self.a > 0' }])])),
        (answers) => ({
          watch: `${CRDS}?watch=true&fieldSelector=metadata.name%3Dwidgets.recompiled.example.dev&resourceVersion=${rvOf(answers[0]?.body)}&timeoutSeconds=5`,
          events: 2,
        }),
      ],
      steps: [
        { path: `${CRDS}/widgets.recompiled.example.dev`, view: () => 'read' },
        (answers) => ({
          method: 'PUT',
          path: `${CRDS}/widgets.recompiled.example.dev`,
          body: {
            ...crd('recompiled.example.dev', [
              {
                ...v1,
                schema: {
                  openAPIV3Schema: {
                    type: 'object',
                    properties: {
                      spec: {
                        type: 'object',
                        properties: { b: { type: 'integer' } },
                        'x-kubernetes-validations': [{ rule: 'self.a > 0' }],
                      },
                    },
                  },
                },
              },
            ]),
            metadata: {
              name: 'widgets.recompiled.example.dev',
              resourceVersion: rvOf(answers.at(-1)?.body),
            },
          },
        }),
        { method: 'DELETE', path: `${CRDS}/widgets.recompiled.example.dev`, view: () => 'deleted' },
      ],
    },
  },
  {
    given: {
      name: 'a CRD whose rule reads oldSelf under a list that is not a map list is refused',
      steps: [
        create(
          crd('uncorrelated.example.dev', [
            withRules([], {
              l: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { n: { type: 'integer' } },
                  'x-kubernetes-validations': [{ rule: 'self.n == oldSelf.n' }],
                },
              },
              m: {
                type: 'array',
                'x-kubernetes-list-type': 'map',
                'x-kubernetes-list-map-keys': ['n'],
                items: {
                  type: 'object',
                  required: ['n'],
                  properties: { n: { type: 'integer' } },
                  'x-kubernetes-validations': [{ rule: 'self.n == oldSelf.n' }],
                },
              },
            }),
          ]),
        ),
      ],
    },
  },
)
