// Custom resources of fixtures/widgets-crd.json, each `want` recorded from a real kube-apiserver
// v1.37.2 (POST …/widgets?dryRun=All; undefined = 201 Created). The server walks Go maps, so the
// order of causes between sibling fields varies from run to run: causes compare sorted, the whole
// message compares where there is one cause. real-apiserver-oracle.test.ts re-asks the server.
import { describe, expect, it } from 'vitest'
import { validateObject, type StatusCause } from '../src/index.js'
import { sortedCauses, widget, widgetsDocument } from './_widgets.js'

interface Row {
  given: { metadata?: Record<string, unknown>; spec?: unknown }
  want: { message: string; causes: StatusCause[] } | undefined
}

const rows: Row[] = [
  { given: { spec: { host: 'example' } }, want: undefined },
  {
    given: {},
    want: {
      message: 'Widget.example.com "w" is invalid: spec: Required value',
      causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec' }],
    },
  },
  {
    given: { metadata: { name: 'Bad_Name' }, spec: { host: 'example' } },
    want: {
      message:
        "Widget.example.com \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            "Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
          field: 'metadata.name',
        },
      ],
    },
  },
  {
    given: { metadata: {}, spec: { host: 'example' } },
    want: {
      message:
        'Widget.example.com "" is invalid: metadata.name: Required value: name or generateName is required',
      causes: [
        {
          reason: 'FieldValueRequired',
          message: 'Required value: name or generateName is required',
          field: 'metadata.name',
        },
      ],
    },
  },
  {
    given: { spec: {} },
    want: {
      message: 'Widget.example.com "w" is invalid: spec.host: Required value',
      causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.host' }],
    },
  },
  {
    given: { spec: { host: 'ab' } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.host: Invalid value: "ab": spec.host in body should be at least 3 chars long',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "ab": spec.host in body should be at least 3 chars long',
          field: 'spec.host',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abcdefghijk' } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.host: Too long: may not be more than 10 bytes',
      causes: [
        {
          reason: 'FieldValueTooLong',
          message: 'Too long: may not be more than 10 bytes',
          field: 'spec.host',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'héllo' } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.host: Invalid value: "héllo": spec.host in body should match \'^[a-z.]+$\'',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "héllo": spec.host in body should match \'^[a-z.]+$\'',
          field: 'spec.host',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'UPPER' } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.host: Invalid value: "UPPER": spec.host in body should match \'^[a-z.]+$\'',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "UPPER": spec.host in body should match \'^[a-z.]+$\'',
          field: 'spec.host',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', replicas: 6 } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.replicas: Invalid value: 6: spec.replicas in body should be less than or equal to 5',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 6: spec.replicas in body should be less than or equal to 5',
          field: 'spec.replicas',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', replicas: '3' } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      causes: [
        {
          reason: 'FieldValueTypeInvalid',
          message:
            'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
          field: 'spec.replicas',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', replicas: 3000000000 } },
    want: {
      message:
        'Widget.example.com "w" is invalid: [<nil>: Invalid value: "": Checked value must be of type integer with format int32 in spec.replicas, spec.replicas: Invalid value: 3000000000: spec.replicas in body should be less than or equal to 5]',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "": Checked value must be of type integer with format int32 in spec.replicas',
          field: '<nil>',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: 3000000000: spec.replicas in body should be less than or equal to 5',
          field: 'spec.replicas',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', ratio: 0 } },
    want: {
      message:
        'Widget.example.com "w" is invalid: [spec.ratio: Invalid value: 0: factor MultipleOf declared for spec.ratio must be positive: 0, spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0]',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: 0: factor MultipleOf declared for spec.ratio must be positive: 0',
          field: 'spec.ratio',
        },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 0: spec.ratio in body should be greater than 0',
          field: 'spec.ratio',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', ratio: 0.7 } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.ratio: Invalid value: 0.7: spec.ratio in body should be a multiple of 0.5',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 0.7: spec.ratio in body should be a multiple of 0.5',
          field: 'spec.ratio',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', ratio: 1e30 } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.ratio: Invalid value: 1e+30: spec.ratio in body should be a multiple of 0.5',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 1e+30: spec.ratio in body should be a multiple of 0.5',
          field: 'spec.ratio',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', step: 4 } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.step: Invalid value: 4: spec.step in body should be a multiple of 3',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 4: spec.step in body should be a multiple of 3',
          field: 'spec.step',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', mode: 'medium' } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.mode: Unsupported value: "medium": supported values: "fast", "slow"',
      causes: [
        {
          reason: 'FieldValueNotSupported',
          message: 'Unsupported value: "medium": supported values: "fast", "slow"',
          field: 'spec.mode',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', mode: 3 } },
    want: {
      message:
        'Widget.example.com "w" is invalid: [spec.mode: Invalid value: "integer": spec.mode in body must be of type string: "integer", spec.mode: Unsupported value: 3: supported values: "fast", "slow"]',
      causes: [
        {
          reason: 'FieldValueTypeInvalid',
          message: 'Invalid value: "integer": spec.mode in body must be of type string: "integer"',
          field: 'spec.mode',
        },
        {
          reason: 'FieldValueNotSupported',
          message: 'Unsupported value: 3: supported values: "fast", "slow"',
          field: 'spec.mode',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', port: true } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
      causes: [
        {
          reason: 'FieldValueTypeInvalid',
          message:
            'Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
          field: 'spec.port',
        },
      ],
    },
  },
  { given: { spec: { host: 'abc', port: 'http' } }, want: undefined },
  { given: { spec: { host: 'abc', note: null } }, want: undefined },
  { given: { spec: { host: 'abc', mode: null } }, want: undefined },
  {
    given: { spec: { host: 'abc', id: 'nope' } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.id: Invalid value: "nope": spec.id in body must be of type uuid: "nope"',
      causes: [
        {
          reason: 'FieldValueTypeInvalid',
          message: 'Invalid value: "nope": spec.id in body must be of type uuid: "nope"',
          field: 'spec.id',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', day: '2021-02-30' } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.day: Invalid value: "2021-02-30": spec.day in body must be of type date: "2021-02-30"',
      causes: [
        {
          reason: 'FieldValueTypeInvalid',
          message:
            'Invalid value: "2021-02-30": spec.day in body must be of type date: "2021-02-30"',
          field: 'spec.day',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', tags: [] } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 0: spec.tags in body should have at least 1 items',
          field: 'spec.tags',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', tags: ['a', 'b', 'c', 'd'] } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.tags: Too many: 4: must have at most 3 items',
      causes: [
        {
          reason: 'FieldValueTooMany',
          message: 'Too many: 4: must have at most 3 items',
          field: 'spec.tags',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', tags: ['a', 'a', 'b', 'a'] } },
    want: {
      message:
        'Widget.example.com "w" is invalid: [spec.tags: Too many: 4: must have at most 3 items, spec.tags[1]: Duplicate value: "a"]',
      causes: [
        {
          reason: 'FieldValueTooMany',
          message: 'Too many: 4: must have at most 3 items',
          field: 'spec.tags',
        },
        { reason: 'FieldValueDuplicate', message: 'Duplicate value: "a"', field: 'spec.tags[1]' },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', ports: [{ name: 'x' }, { name: 'x', port: 2 }] } },
    want: {
      message: 'Widget.example.com "w" is invalid: spec.ports[1]: Duplicate value: {"name":"x"}',
      causes: [
        {
          reason: 'FieldValueDuplicate',
          message: 'Duplicate value: {"name":"x"}',
          field: 'spec.ports[1]',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', ports: [{ name: 'x' }, { port: 2 }, { port: 3 }] } },
    want: {
      message:
        'Widget.example.com "w" is invalid: [spec.ports[1].name: Required value, spec.ports[2].name: Required value, spec.ports[2]: Duplicate value: {}]',
      causes: [
        { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[1].name' },
        { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[2].name' },
        { reason: 'FieldValueDuplicate', message: 'Duplicate value: {}', field: 'spec.ports[2]' },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', ports: [1, { name: 'a' }] } },
    want: {
      message:
        'Widget.example.com "w" is invalid: [spec.ports[0]: Invalid value: "integer": spec.ports[0] in body must be of type object: "integer", spec.ports[0]: Invalid value: 1: must be an object for an array of list-type map]',
      causes: [
        {
          reason: 'FieldValueTypeInvalid',
          message:
            'Invalid value: "integer": spec.ports[0] in body must be of type object: "integer"',
          field: 'spec.ports[0]',
        },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 1: must be an object for an array of list-type map',
          field: 'spec.ports[0]',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', labels: {} } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.labels: Invalid value: 0: spec.labels in body should have at least 1 properties',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 0: spec.labels in body should have at least 1 properties',
          field: 'spec.labels',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', labels: { a: 'b', c: 'd', e: 'f' } } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.labels: Too many: 3: must have at most 2 items',
      causes: [
        {
          reason: 'FieldValueTooMany',
          message: 'Too many: 3: must have at most 2 items',
          field: 'spec.labels',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', labels: { a: 'toolong' } } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.labels.a: Too long: may not be more than 4 bytes',
      causes: [
        {
          reason: 'FieldValueTooLong',
          message: 'Too long: may not be more than 4 bytes',
          field: 'spec.labels.a',
        },
      ],
    },
  },
  { given: { spec: { host: 'abc', x: 1, extra: { y: 1 } } }, want: undefined },
  {
    given: { spec: { host: 'a\u0000ÿ"b' } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.host: Invalid value: "a\\x00ÿ\\"b": spec.host in body should match \'^[a-z.]+$\'',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "a\\x00ÿ\\"b": spec.host in body should match \'^[a-z.]+$\'',
          field: 'spec.host',
        },
      ],
    },
  },
  { given: { spec: { host: 'abc', size: null } }, want: undefined },
  {
    given: { spec: { host: 'abc', size: 'xl' } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.size: Unsupported value: "xl": supported values: "s", "m", "l"',
      causes: [
        {
          reason: 'FieldValueNotSupported',
          message: 'Unsupported value: "xl": supported values: "s", "m", "l"',
          field: 'spec.size',
        },
      ],
    },
  },
  {
    given: { spec: { host: 'abc', labels: { a: null } } },
    want: {
      message:
        'Widget.example.com "w" is invalid: spec.labels: Invalid value: 0: spec.labels in body should have at least 1 properties',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 0: spec.labels in body should have at least 1 properties',
          field: 'spec.labels',
        },
      ],
    },
  },
  {
    given: {
      metadata: {
        name: 'w',
        labels: {
          'a/b/c': 'x',
          '-bad': 'vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv',
          '/n': '',
          'Example.com/ok': 'a.b',
        },
      },
      spec: { host: 'example' },
    },
    want: {
      message:
        "Widget.example.com \"w\" is invalid: [metadata.labels: Invalid value: \"Example.com/ok\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), metadata.labels: Invalid value: \"a/b/c\": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName'), metadata.labels: Invalid value: \"-bad\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'), metadata.labels: Invalid value: \"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\": must be no more than 63 bytes, metadata.labels: Invalid value: \"/n\": prefix part must be non-empty]",
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            "Invalid value: \"Example.com/ok\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
          field: 'metadata.labels',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            "Invalid value: \"a/b/c\": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
          field: 'metadata.labels',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            "Invalid value: \"-bad\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
          field: 'metadata.labels',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv": must be no more than 63 bytes',
          field: 'metadata.labels',
        },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "/n": prefix part must be non-empty',
          field: 'metadata.labels',
        },
      ],
    },
  },
  {
    given: {
      metadata: {
        name: 'w',
        labels: {
          'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp/n':
            'bad value!',
        },
      },
      spec: { host: 'example' },
    },
    want: {
      message:
        "Widget.example.com \"w\" is invalid: [metadata.labels: Invalid value: \"pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp/n\": prefix part must be no more than 253 bytes, metadata.labels: Invalid value: \"bad value!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')]",
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp/n": prefix part must be no more than 253 bytes',
          field: 'metadata.labels',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            "Invalid value: \"bad value!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
          field: 'metadata.labels',
        },
      ],
    },
  },
  {
    given: {
      metadata: {
        name: 'w',
        annotations: {
          'Example.COM/Fine': 'x',
          'bad key': 'y',
          big: 'z'.repeat(262141),
        },
      },
      spec: { host: 'example' },
    },
    want: {
      message:
        "Widget.example.com \"w\" is invalid: [metadata.annotations: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'), metadata.annotations: Too long: may not be more than 262144 bytes]",
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            "Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
          field: 'metadata.annotations',
        },
        {
          reason: 'FieldValueTooLong',
          message: 'Too long: may not be more than 262144 bytes',
          field: 'metadata.annotations',
        },
      ],
    },
  },
  {
    given: {
      metadata: {
        name: 'w',
        finalizers: ['orphan', 'foregroundDeletion', 'bad finalizer', 'example.com/ok'],
      },
      spec: { host: 'example' },
    },
    want: {
      message:
        "Widget.example.com \"w\" is invalid: [metadata.finalizers: Invalid value: \"bad finalizer\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'), metadata.finalizers: Invalid value: [\"orphan\",\"foregroundDeletion\",\"bad finalizer\",\"example.com/ok\"]: finalizer orphan and foregroundDeletion cannot be both set]",
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            "Invalid value: \"bad finalizer\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
          field: 'metadata.finalizers',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: ["orphan","foregroundDeletion","bad finalizer","example.com/ok"]: finalizer orphan and foregroundDeletion cannot be both set',
          field: 'metadata.finalizers',
        },
      ],
    },
  },
]

describe('validateObject answers what kube-apiserver answers for a custom resource', () => {
  it.each(rows)('$given', ({ given, want }) => {
    const got = validateObject(widgetsDocument, widget(given.spec, given.metadata ?? { name: 'w' }))
    if (want === undefined) return expect(got).toBeUndefined()
    expect(got && sortedCauses(got.details.causes)).toEqual(sortedCauses(want.causes))
    if (want.causes.length === 1) expect(got?.message).toBe(want.message)
    const name =
      given.metadata === undefined ? 'w' : ((given.metadata['name'] as string | undefined) ?? '')
    expect({ ...got, message: undefined, details: { ...got?.details, causes: undefined } }).toEqual(
      {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: undefined,
        reason: 'Invalid',
        // metav1.StatusDetails: an empty name is left out (omitempty).
        details: {
          name: name === '' ? undefined : name,
          group: 'example.com',
          kind: 'Widget',
          causes: undefined,
        },
        code: 422,
      },
    )
  })
})
