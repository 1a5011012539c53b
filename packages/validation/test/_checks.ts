// The Check custom resource of fixtures/checks-crd.json (x-kubernetes-validations on every kind
// of node) and objects a real kube-apiserver v1.37.2 answered, each `want` recorded from it
// (POST …/checks?dryRun=All for a create; for an update, the old object created, then PUT
// …/checks/<name>?dryRun=All of it with the new spec and metadata; undefined = accepted). Shared by
// cel-rules.test.ts (the recorded answers) and cel-real-apiserver-oracle.test.ts (asks again).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { OpenApiDocument, StatusCause } from '../src/index.js'

export const checksCrdFile = fileURLToPath(new URL('fixtures/checks-crd.json', import.meta.url))

/** GET /openapi/v3/apis/example.com/v1 of a v1.37.2 server serving fixtures/checks-crd.json. */
export const checksDocument = JSON.parse(
  readFileSync(new URL('fixtures/checks-openapi-v3.json', import.meta.url), 'utf8'),
) as OpenApiDocument

export interface CheckRow {
  readonly given: {
    readonly name: string
    readonly spec: unknown
    /** The stored spec: the row is an update. */
    readonly oldSpec?: unknown
    /** Replaces these fields of the stored metadata in the update. */
    readonly metadata?: Record<string, unknown>
  }
  readonly want: { readonly message: string; readonly causes: readonly StatusCause[] } | undefined
}

/** A Check with this name, spec and metadata. */
export function check(
  name: string,
  spec: unknown,
  metadata: Record<string, unknown> = {},
): Record<string, unknown> {
  return { apiVersion: 'example.com/v1', kind: 'Check', metadata: { name, ...metadata }, spec }
}

export const checkRows: readonly CheckRow[] = [
  { given: { name: 'c1', spec: { min: 1, max: 2 } }, want: undefined },
  {
    given: { name: 'c1', spec: { min: 3, max: 2 } },
    want: {
      message: 'Check.example.com "c1" is invalid: spec: Invalid value: min must not exceed max',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: min must not exceed max',
          field: 'spec',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 13, max: 20 } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec: Invalid value: failed rule: self.min != 13',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: failed rule: self.min != 13',
          field: 'spec',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 150 } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec: Invalid value: failed rule: self.max < 100',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: failed rule: self.max < 100',
          field: 'spec',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 150, owner: 'team-a' } },
    want: {
      message: 'Check.example.com "c1" is invalid: spec: Invalid value: max is over 99 for team-a',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: max is over 99 for team-a',
          field: 'spec',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 42 } },
    want: {
      message: 'Check.example.com "c1" is invalid: spec: Invalid value: max may not be 42',
      causes: [
        { reason: 'FieldValueInvalid', message: 'Invalid value: max may not be 42', field: 'spec' },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 7, max: 8 } },
    want: {
      message: 'Check.example.com "c1" is invalid: spec.min: Forbidden: seven is forbidden',
      causes: [
        {
          reason: 'FieldValueForbidden',
          message: 'Forbidden: seven is forbidden',
          field: 'spec.min',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 60, max: 70 } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.owner: Required value: owner is required from 50 on',
      causes: [
        {
          reason: 'FieldValueRequired',
          message: 'Required value: owner is required from 50 on',
          field: 'spec.owner',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 66 } },
    want: {
      message: 'Check.example.com "c1" is invalid: spec: Duplicate value',
      causes: [{ reason: 'FieldValueDuplicate', message: 'Duplicate value', field: 'spec' }],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, labels: { 'bad.key': 'x' } } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.labels[bad.key]: Invalid value: bad.key is not allowed',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: bad.key is not allowed',
          field: 'spec.labels[bad.key]',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, ratio: 2, count: 3 } },
    want: {
      message:
        'Check.example.com "c1" is invalid: [spec.ratio: Invalid value: 2: at most 1.5, spec.count: Invalid value: "integer": division by zero evaluating rule: never negative]',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 2: at most 1.5',
          field: 'spec.ratio',
        },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "integer": division by zero evaluating rule: never negative',
          field: 'spec.count',
        },
      ],
    },
  },
  { given: { name: 'c1', spec: { min: 1, max: 2, ratio: 1.5, count: 4 } }, want: undefined },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, opt: { b: 'y' } } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.opt: Invalid value: "object": no such key: a evaluating rule: a must be x',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "object": no such key: a evaluating rule: a must be x',
          field: 'spec.opt',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, port: 'http' } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.port: Invalid value: "": \'no such overload\': call arguments did not match a supported operator, function or macro signature for rule: port must be positive',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "": \'no such overload\': call arguments did not match a supported operator, function or macro signature for rule: port must be positive',
          field: 'spec.port',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, port: -1 } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.port: Invalid value: -1: port must be positive',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: -1: port must be positive',
          field: 'spec.port',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, names: ['n-a', 'b', 'n-c', 'd'] } },
    want: {
      message:
        'Check.example.com "c1" is invalid: [spec.names[1]: Invalid value: "b": names start with n-, spec.names[3]: Invalid value: "d": names start with n-]',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "b": names start with n-',
          field: 'spec.names[1]',
        },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "d": names start with n-',
          field: 'spec.names[3]',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, limits: { a: 1, b: -2 } } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.limits[b]: Invalid value: -2: limit is negative: near',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: -2: limit is negative: near',
          field: 'spec.limits[b]',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, level: 12, tags: ['a'], frozen: 'x' } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.level: Invalid value: 12: a new level is below 10',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 12: a new level is below 10',
          field: 'spec.level',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, nested: { inner: { v: 9 } } } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.nested.inner: Invalid value: inner.v below 5',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: inner.v below 5',
          field: 'spec.nested.inner',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: -1, max: 2 } },
    want: {
      message: 'Check.example.com "c1" is invalid: <nil>: Invalid value: spec.min is not negative',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: spec.min is not negative',
          field: '<nil>',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { max: 2 } },
    want: {
      message:
        'Check.example.com "c1" is invalid: [spec.min: Required value, <nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]',
      causes: [
        { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.min' },
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
          field: '<nil>',
        },
      ],
    },
  },
  { given: { name: 'c1', spec: { min: 1, max: 2, owner: 'x', names: ['n-'] } }, want: undefined },
  {
    given: { name: 'c1', spec: { min: 'x', max: 2 } },
    want: {
      message:
        'Check.example.com "c1" is invalid: [spec.min: Invalid value: "string": spec.min in body must be of type integer: "string", <nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]',
      causes: [
        {
          reason: 'FieldValueTypeInvalid',
          message: 'Invalid value: "string": spec.min in body must be of type integer: "string"',
          field: 'spec.min',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
          field: '<nil>',
        },
      ],
    },
  },
  {
    given: {
      name: 'cu0',
      oldSpec: { max: 2, min: 1, tags: ['a', 'b'] },
      spec: { min: 1, max: 2, tags: ['b', 'a'] },
    },
    want: undefined,
  },
  {
    given: {
      name: 'cu1',
      oldSpec: { max: 2, min: 1, tags: ['a', 'b'] },
      spec: { min: 1, max: 2, tags: ['a', 'c'] },
    },
    want: {
      message:
        'Check.example.com "cu1" is invalid: spec.tags: Invalid value: tags are immutable (as a set)',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: tags are immutable (as a set)',
          field: 'spec.tags',
        },
      ],
    },
  },
  {
    given: {
      name: 'cu2',
      oldSpec: { frozen: 'x', max: 2, min: 1 },
      spec: { min: 1, max: 2, frozen: 'y' },
    },
    want: {
      message:
        'Check.example.com "cu2" is invalid: spec.frozen: Invalid value: "y": frozen is immutable',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "y": frozen is immutable',
          field: 'spec.frozen',
        },
      ],
    },
  },
  {
    given: { name: 'cu3', oldSpec: { max: 2, min: 1 }, spec: { min: 1, max: 2, frozen: 'y' } },
    want: undefined,
  },
  {
    given: {
      name: 'cu4',
      oldSpec: { level: 5, max: 2, min: 1 },
      spec: { min: 1, max: 2, level: 3 },
    },
    want: {
      message:
        'Check.example.com "cu4" is invalid: spec.level: Invalid value: 3: level may only grow',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 3: level may only grow',
          field: 'spec.level',
        },
      ],
    },
  },
  {
    given: {
      name: 'cu5',
      oldSpec: { level: 5, max: 2, min: 1 },
      spec: { min: 1, max: 2, level: 15 },
    },
    want: undefined,
  },
  {
    given: {
      name: 'cu6',
      oldSpec: {
        max: 2,
        min: 1,
        ports: [
          { name: 'a', number: 5 },
          { name: 'b', number: 5 },
        ],
      },
      spec: {
        min: 1,
        max: 2,
        ports: [
          { name: 'b', number: 4 },
          { name: 'a', number: 6 },
        ],
      },
    },
    want: {
      message:
        'Check.example.com "cu6" is invalid: [spec.ports: Invalid value: ports only grow, spec.ports[0]: Invalid value: a port\'s number may only grow]',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: ports only grow',
          field: 'spec.ports',
        },
        {
          reason: 'FieldValueInvalid',
          message: "Invalid value: a port's number may only grow",
          field: 'spec.ports[0]',
        },
      ],
    },
  },
  {
    given: {
      name: 'cu7',
      oldSpec: { max: 2, min: 1, ports: [{ name: 'a', number: 5 }] },
      spec: { min: 1, max: 2, ports: [{ name: 'c', number: 1 }] },
    },
    want: {
      message: 'Check.example.com "cu7" is invalid: spec.ports: Invalid value: ports only grow',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: ports only grow',
          field: 'spec.ports',
        },
      ],
    },
  },
  {
    given: {
      name: 'cu8',
      oldSpec: { frozen: 'a', level: 5, max: 2, min: 1 },
      spec: { min: 1, max: 2, level: 5, frozen: 'b', labels: { 'bad.key': '1' } },
    },
    want: {
      message:
        'Check.example.com "cu8" is invalid: [spec.labels[bad.key]: Invalid value: bad.key is not allowed, spec.frozen: Invalid value: "b": frozen is immutable]',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: bad.key is not allowed',
          field: 'spec.labels[bad.key]',
        },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "b": frozen is immutable',
          field: 'spec.frozen',
        },
      ],
    },
  },
  {
    given: {
      name: 'cu9',
      oldSpec: { max: 2, min: 1 },
      spec: { min: 1, max: 2 },
      metadata: { labels: { 'bad key': 'v' }, annotations: { 'a b': 'c' } },
    },
    want: {
      message:
        "Check.example.com \"cu9\" is invalid: [metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'), metadata.annotations: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')]",
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            "Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
          field: 'metadata.labels',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            "Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
          field: 'metadata.annotations',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            "Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
          field: 'metadata.labels',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            "Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
          field: 'metadata.annotations',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            "Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
          field: 'metadata.labels',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            "Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
          field: 'metadata.annotations',
        },
      ],
    },
  },
  {
    given: {
      name: 'cu10',
      oldSpec: { max: 2, min: 1 },
      spec: { min: 1, max: 2 },
      metadata: { finalizers: ['bad finalizer'] },
    },
    want: {
      message:
        "Check.example.com \"cu10\" is invalid: metadata.finalizers: Invalid value: \"bad finalizer\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            "Invalid value: \"bad finalizer\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
          field: 'metadata.finalizers',
        },
      ],
    },
  },
  {
    given: {
      name: 'cu11',
      oldSpec: { max: 2, min: 1 },
      spec: { min: 1, max: 2 },
      metadata: { generation: 99, creationTimestamp: null },
    },
    want: undefined,
  },
  {
    given: { name: 'cu12', oldSpec: { max: 2, min: 1 }, spec: { max: 2 } },
    want: {
      message:
        'Check.example.com "cu12" is invalid: [spec.min: Required value, <nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]',
      causes: [
        { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.min' },
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
          field: '<nil>',
        },
      ],
    },
  },
  // Strings of format date-time, date, duration and byte reach a rule as timestamps, durations
  // and bytes.
  // A duration is read by strfmt.ParseDuration: Go's syntax (fractions, signs) or `<n> <unit>`.
  {
    given: { name: 'c1', spec: { min: 1, max: 2, every: '59 minutes' } },
    want: undefined,
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, every: '1.5h' } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.every: Invalid value: "1.5h": every is at most an hour',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "1.5h": every is at most an hour',
          field: 'spec.every',
        },
      ],
    },
  },
  {
    given: {
      name: 'c1',
      spec: {
        min: 1,
        max: 2,
        since: '2024-02-29T10:00:00.123456789+02:00',
        every: '30m',
        day: '2024-03-02',
        blob: 'AQID',
      },
    },
    want: undefined,
  },
  {
    given: {
      name: 'c1',
      spec: {
        min: 1,
        max: 2,
        since: '2019-12-31T23:59:59Z',
        every: '1h1s',
        day: '2024-03-03',
        blob: 'AQIDBA==',
      },
    },
    want: {
      message:
        'Check.example.com "c1" is invalid: [spec.since: Invalid value: "2019-12-31T23:59:59Z": since is after 2020, spec.every: Invalid value: "1h1s": every is at most an hour, spec.day: Invalid value: "2024-03-03": not on a Sunday, spec.blob: Invalid value: "AQIDBA==": at most 3 bytes]',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "2019-12-31T23:59:59Z": since is after 2020',
          field: 'spec.since',
        },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "1h1s": every is at most an hour',
          field: 'spec.every',
        },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "2024-03-03": not on a Sunday',
          field: 'spec.day',
        },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "AQIDBA==": at most 3 bytes',
          field: 'spec.blob',
        },
      ],
    },
  },
  { given: { name: 'c1', spec: { min: 1, max: 2, every: '1h' } }, want: undefined },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, every: '2d' } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.every: Invalid value: "2d": every is at most an hour',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "2d": every is at most an hour',
          field: 'spec.every',
        },
      ],
    },
  },
  {
    given: {
      name: 'cu0',
      oldSpec: { max: 2, min: 1, since: '2024-02-29T10:00:00Z' },
      spec: { min: 1, max: 2, since: '2024-02-29T12:00:00+02:00' },
    },
    want: undefined,
  },
  {
    given: {
      name: 'cu1',
      oldSpec: { max: 2, min: 1, since: '2024-02-29T10:00:00Z' },
      spec: { min: 1, max: 2, since: '2024-02-29T10:00:01Z' },
    },
    want: {
      message:
        'Check.example.com "cu1" is invalid: spec.since: Invalid value: "2024-02-29T10:00:01Z": since is immutable',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "2024-02-29T10:00:01Z": since is immutable',
          field: 'spec.since',
        },
      ],
    },
  },
  // The Kubernetes CEL libraries through validateObject: a two-variable comprehension, quantity,
  // isURL, format, ip and cidr, and a rule over 1,000 numbers stopped at the per-call limit.
  {
    given: {
      name: 'c1',
      spec: {
        min: 1,
        max: 2,
        lib: {
          weights: { a: 3, 'big-b': 50 },
          memory: '512Mi',
          homepage: 'https://example.com/x?y=1',
          host: 'web-1',
          address: '10.1.2.3',
          network: '10.1.0.0/16',
          numbers: [1, 2, 3],
        },
      },
    },
    want: undefined,
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, lib: { weights: { a: 30, 'big-b': 50 } } } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.lib.weights: Invalid value: only big- keys weigh over 10',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: only big- keys weigh over 10',
          field: 'spec.lib.weights',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, lib: { memory: '2Gi' } } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.lib.memory: Invalid value: "2Gi": memory is under 1Gi',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "2Gi": memory is under 1Gi',
          field: 'spec.lib.memory',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, lib: { memory: 'lots' } } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.lib.memory: Invalid value: "string": quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\' evaluating rule: memory is under 1Gi',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "string": quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\' evaluating rule: memory is under 1Gi',
          field: 'spec.lib.memory',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, lib: { homepage: 'example.com/x' } } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.lib.homepage: Invalid value: "example.com/x": homepage is a URL',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "example.com/x": homepage is a URL',
          field: 'spec.lib.homepage',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, lib: { host: 'Web_1' } } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.lib.host: Invalid value: "Web_1": host is a DNS label',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "Web_1": host is a DNS label',
          field: 'spec.lib.host',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, lib: { address: '192.168.0.1' } } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.lib.address: Invalid value: "192.168.0.1": an IPv4 address in 10.0.0.0/8',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "192.168.0.1": an IPv4 address in 10.0.0.0/8',
          field: 'spec.lib.address',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, lib: { address: 'nope' } } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.lib.address: Invalid value: "string": IP Address "nope" parse error during conversion from string: ParseAddr("nope"): unable to parse IP evaluating rule: an IPv4 address in 10.0.0.0/8',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "string": IP Address "nope" parse error during conversion from string: ParseAddr("nope"): unable to parse IP evaluating rule: an IPv4 address in 10.0.0.0/8',
          field: 'spec.lib.address',
        },
      ],
    },
  },
  {
    given: { name: 'c1', spec: { min: 1, max: 2, lib: { network: '10.0.0.0/8' } } },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.lib.network: Invalid value: "10.0.0.0/8": a network of /16 or smaller',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "10.0.0.0/8": a network of /16 or smaller',
          field: 'spec.lib.network',
        },
      ],
    },
  },
  {
    given: {
      name: 'c1',
      spec: { min: 1, max: 2, lib: { numbers: Array.from({ length: 1000 }, (_, i) => i) } },
    },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.lib.numbers: Invalid value: "array": \'operation cancelled: actual cost limit exceeded\': no further validation rules will be run due to call cost exceeds limit for rule: self.all(x, self.all(y, x + y > -1))',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "array": \'operation cancelled: actual cost limit exceeded\': no further validation rules will be run due to call cost exceeds limit for rule: self.all(x, self.all(y, x + y > -1))',
          field: 'spec.lib.numbers',
        },
      ],
    },
  },
  // 13 lists of 600 numbers, two rules each: cel-go charges 720,003 for sets.equivalent(self,
  // self) and 360,003 for sets.contains(self, self), so nine lists spend 9,720,054 of the
  // object's 10,000,000 and the first rule of the tenth costs more than is left. Nine pass.
  {
    given: {
      name: 'c1',
      spec: {
        min: 1,
        max: 2,
        lib: { matrix: Array.from({ length: 13 }, () => Array.from({ length: 600 }, (_, i) => i)) },
      },
    },
    want: {
      message:
        'Check.example.com "c1" is invalid: spec.lib.matrix[9]: Invalid value: "array": validation failed due to running out of cost budget, no further validation rules will be run',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "array": validation failed due to running out of cost budget, no further validation rules will be run',
          field: 'spec.lib.matrix[9]',
        },
      ],
    },
  },
  {
    given: {
      name: 'c1',
      spec: {
        min: 1,
        max: 2,
        lib: { matrix: Array.from({ length: 9 }, () => Array.from({ length: 600 }, (_, i) => i)) },
      },
    },
    want: undefined,
  },
]
