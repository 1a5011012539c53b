// Gateway API's own example resources, as typed literals checked against the types
// `generate --crds` makes from its CRDs (see ../README.md). Each literal cites its source file in
// kubernetes-sigs/gateway-api at 4564255ac2c3; every `@ts-expect-error` is a mistake the
// generated types must catch.
import type {
  GRPCRoute,
  Gateway,
  GatewayClass,
  HTTPRoute,
  ReferenceGrant,
} from '../k8s/gateway.networking.k8s.io/v1.js'
import type { GatewayClass as GatewayClassV1beta1 } from '../k8s/gateway.networking.k8s.io/v1beta1.js'
import {
  Gateway as GatewayResource,
  GatewayClass as GatewayClassResource,
} from '../k8s/gateway.networking.k8s.io/v1.js'

// examples/standard/basic-http.yaml, document 0
export const example: GatewayClass = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'GatewayClass',
  metadata: {
    name: 'example',
  },
  spec: {
    controllerName: 'acme.io/gateway-controller',
    parametersRef: {
      name: 'example',
      group: 'acme.io',
      kind: 'Parameters',
    },
  },
}

// examples/standard/basic-http.yaml, document 1
export const myGateway: Gateway = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: {
    name: 'my-gateway',
  },
  spec: {
    gatewayClassName: 'example',
    listeners: [
      {
        name: 'http',
        protocol: 'HTTP',
        port: 80,
      },
    ],
  },
}

// examples/standard/basic-http.yaml, document 2
export const httpApp1: HTTPRoute = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: {
    name: 'http-app-1',
  },
  spec: {
    parentRefs: [
      {
        name: 'my-gateway',
      },
    ],
    hostnames: ['foo.com'],
    rules: [
      {
        matches: [
          {
            path: {
              type: 'PathPrefix',
              value: '/bar',
            },
          },
        ],
        backendRefs: [
          {
            name: 'my-service1',
            port: 8080,
          },
        ],
      },
      {
        matches: [
          {
            headers: [
              {
                type: 'Exact',
                name: 'magic',
                value: 'foo',
              },
            ],
            queryParams: [
              {
                type: 'Exact',
                name: 'great',
                value: 'example',
              },
            ],
            path: {
              type: 'PathPrefix',
              value: '/some/thing',
            },
            method: 'GET',
          },
        ],
        backendRefs: [
          {
            name: 'my-service2',
            port: 8080,
          },
        ],
      },
    ],
  },
}

// examples/standard/basic-grpc.yaml, document 0
export const example2: GatewayClass = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'GatewayClass',
  metadata: {
    name: 'example',
  },
  spec: {
    controllerName: 'acme.io/gateway-controller',
    parametersRef: {
      name: 'example',
      group: 'acme.io',
      kind: 'Parameters',
    },
  },
}

// examples/standard/basic-grpc.yaml, document 1
export const myGateway2: Gateway = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: {
    name: 'my-gateway',
  },
  spec: {
    gatewayClassName: 'example',
    listeners: [
      {
        name: 'https',
        protocol: 'HTTPS',
        port: 50051,
        tls: {
          certificateRefs: [
            {
              kind: 'Secret',
              group: '',
              name: 'example-com-cert',
            },
          ],
        },
      },
    ],
  },
}

// examples/standard/basic-grpc.yaml, document 2
export const grpcApp1: GRPCRoute = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'GRPCRoute',
  metadata: {
    name: 'grpc-app-1',
  },
  spec: {
    parentRefs: [
      {
        name: 'my-gateway',
      },
    ],
    hostnames: ['example.com'],
    rules: [
      {
        matches: [
          {
            method: {
              service: 'com.example.User',
              method: 'Login',
            },
          },
        ],
        backendRefs: [
          {
            name: 'my-service1',
            port: 50051,
          },
        ],
      },
      {
        matches: [
          {
            headers: [
              {
                type: 'Exact',
                name: 'magic',
                value: 'foo',
              },
            ],
            method: {
              service: 'com.example.Things',
              method: 'DoThing',
            },
          },
        ],
        backendRefs: [
          {
            name: 'my-service2',
            port: 50051,
          },
        ],
      },
    ],
  },
}

// examples/standard/reference-grant.yaml, document 0
export const allowProdTraffic: ReferenceGrant = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'ReferenceGrant',
  metadata: {
    name: 'allow-prod-traffic',
  },
  spec: {
    from: [
      {
        group: 'gateway.networking.k8s.io',
        kind: 'HTTPRoute',
        namespace: 'prod',
      },
    ],
    to: [
      {
        group: '',
        kind: 'Service',
      },
    ],
  },
}

// examples/standard/traffic-splitting/traffic-split-2.yaml, document 0
export const fooRoute: HTTPRoute = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: {
    name: 'foo-route',
    labels: {
      gateway: 'prod-web-gw',
    },
  },
  spec: {
    hostnames: ['foo.example.com'],
    rules: [
      {
        backendRefs: [
          {
            name: 'foo-v1',
            port: 8080,
            weight: 90,
          },
          {
            name: 'foo-v2',
            port: 8080,
            weight: 10,
          },
        ],
      },
    ],
  },
}

// examples/standard/http-redirect-rewrite/httproute-rewrite-prefix-path.yaml, document 0
export const httpFilterRewrite: HTTPRoute = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: {
    name: 'http-filter-rewrite',
  },
  spec: {
    hostnames: ['rewrite.example'],
    rules: [
      {
        matches: [
          {
            path: {
              type: 'PathPrefix',
              value: '/cardamom',
            },
          },
        ],
        filters: [
          {
            type: 'URLRewrite',
            urlRewrite: {
              hostname: 'elsewhere.example',
              path: {
                type: 'ReplacePrefixMatch',
                replacePrefixMatch: '/fennel',
              },
            },
          },
        ],
        backendRefs: [
          {
            name: 'example-svc',
            weight: 1,
            port: 80,
          },
        ],
      },
    ],
  },
}

// Mistakes the generated types must catch.
export const wrongPathType: HTTPRoute = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  // @ts-expect-error path.type is Exact | PathPrefix | RegularExpression
  spec: { rules: [{ matches: [{ path: { type: 'Prefix', value: '/' } }] }] },
}

export const portAsString: HTTPRoute = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  // @ts-expect-error a backendRef's port is a number
  spec: { rules: [{ backendRefs: [{ name: 'svc', port: '8080' }] }] },
}

export const listenerWithoutProtocol: Gateway = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  // @ts-expect-error a listener requires name, port and protocol
  spec: { gatewayClassName: 'example', listeners: [{ name: 'http', port: 80 }] },
}

// The served older version has its own module; GatewayClass is cluster-scoped.
export const betaClass: GatewayClassV1beta1 = {
  apiVersion: 'gateway.networking.k8s.io/v1beta1',
  kind: 'GatewayClass',
  spec: { controllerName: 'acme.io/gateway-controller' },
}
export const gatewayClassPath: '/apis/gateway.networking.k8s.io/v1/gatewayclasses/example' =
  GatewayClassResource.path({ name: 'example' })
export const gatewayShortNames: readonly ['gtw'] = GatewayResource.shortNames
