import { describe, expectTypeOf, it } from 'vitest'

import { defineProxiedResource, defineResource, type ListOf, type ObjectOf } from '../src/index.js'

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

describe('descriptor types', () => {
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
