import { describe, expectTypeOf, it } from 'vitest'

import {
  defineProxiedResource,
  defineResource,
  type ListOf,
  type ObjectOf,
  type PrinterColumn,
  type ResourceInfo,
} from '../src/index.js'

interface Widget {
  apiVersion: 'example.dev/v1'
  kind: 'Widget'
  spec?: { size?: number }
}
interface WidgetList {
  items: Widget[]
}
const Widget = defineResource<Widget, WidgetList>()({
  apiVersion: 'example.dev/v1',
  group: 'example.dev',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  singular: 'widget',
  namespaced: true,
  verbs: ['get'],
  subresources: { status: { apiVersion: 'example.dev/v1', kind: 'Widget', verbs: ['get'] } },
})
const Node = defineProxiedResource()({
  apiVersion: 'v1',
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  namespaced: false,
  verbs: ['get'],
  subresources: { proxy: { apiVersion: 'v1', kind: 'Node', verbs: ['get'] } },
})

// A deprecated CRD version's descriptor, as generate --crds writes it.
const OldWidget = defineResource<Widget, WidgetList>()({
  apiVersion: 'example.dev/v1beta1',
  group: 'example.dev',
  version: 'v1beta1',
  kind: 'Widget',
  plural: 'widgets',
  singular: 'widget',
  namespaced: true,
  verbs: ['get'],
  subresources: {},
  printerColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size', priority: 1 }],
  deprecationWarning: 'example.dev/v1beta1 Widget is deprecated; use example.dev/v1 Widget',
})

describe('descriptor types', () => {
  it('keep a CRD version deprecation and printer columns as literals', () => {
    expectTypeOf(
      OldWidget.deprecationWarning,
    ).toEqualTypeOf<'example.dev/v1beta1 Widget is deprecated; use example.dev/v1 Widget'>()
    expectTypeOf(OldWidget.printerColumns[0].priority).toEqualTypeOf<1>()
    expectTypeOf<ResourceInfo['printerColumns']>().toEqualTypeOf<
      readonly PrinterColumn[] | undefined
    >()
    // Built-in kinds have neither.
    // @ts-expect-error: no deprecationWarning on a descriptor without one
    void Widget.deprecationWarning
  })

  it('carry the object and list types', () => {
    expectTypeOf<ObjectOf<typeof Widget>>().toEqualTypeOf<Widget>()
    expectTypeOf<ListOf<typeof Widget>>().toEqualTypeOf<WidgetList>()
  })
  it('compute the exact path', () => {
    expectTypeOf(
      Widget.path({ namespace: 'a', name: 'b', subresource: 'status' }),
    ).toEqualTypeOf<'/apis/example.dev/v1/namespaces/a/widgets/b/status'>()
    expectTypeOf(Node.path({ name: 'n' })).toEqualTypeOf<'/api/v1/nodes/n'>()
  })
  it('refuse what the server would refuse, at compile time', () => {
    // @ts-expect-error: nodes are cluster-scoped
    Node.path({ namespace: 'a', name: 'n' })
    // @ts-expect-error: widgets serve no scale subresource
    Widget.path({ name: 'b', subresource: 'scale' })
    // @ts-expect-error: a subresource needs a name
    Widget.path({ subresource: 'status' })
    // @ts-expect-error: nodes take numeric proxy ports only
    Node.proxyPath({ name: 'n', port: 'metrics' })
    // @ts-expect-error: the scheme is http or https
    Node.proxyPath({ name: 'n', scheme: 'ftp' })
  })
})
