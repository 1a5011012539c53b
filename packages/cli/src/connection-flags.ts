import type { LoadConnectionOptions } from '@k8s-codegen/cluster'
import type { Options } from 'yargs'
import type { CliContext } from './context.js'
import { CliError } from './errors.js'
import { requestLogger } from './request-log.js'

/**
 * kubectl's connection flags, same names and meaning (kubectl `--help` of any command).
 *
 * @example
 * yargs.options(connectionFlags) // --kubeconfig --context … --namespace/-n
 */
export const connectionFlags = {
  kubeconfig: {
    type: 'string',
    describe: 'Path to the kubeconfig file to use (instead of KUBECONFIG / ~/.kube/config)',
    group: 'Connection:',
  },
  context: {
    type: 'string',
    describe: 'The name of the kubeconfig context to use',
    group: 'Connection:',
  },
  cluster: {
    type: 'string',
    describe: 'The name of the kubeconfig cluster to use',
    group: 'Connection:',
  },
  user: {
    type: 'string',
    describe: 'The name of the kubeconfig user to use',
    group: 'Connection:',
  },
  server: {
    type: 'string',
    describe: 'The address and port of the Kubernetes API server (may include a path prefix)',
    group: 'Connection:',
  },
  token: {
    type: 'string',
    describe: 'Bearer token for authentication to the API server',
    group: 'Connection:',
  },
  'certificate-authority': {
    type: 'string',
    describe: 'Path to a cert file for the certificate authority',
    group: 'Connection:',
  },
  'insecure-skip-tls-verify': {
    type: 'boolean',
    describe: "If true, the server's certificate will not be checked for validity",
    group: 'Connection:',
  },
  'tls-server-name': {
    type: 'string',
    describe: 'Server name to use for server certificate validation',
    group: 'Connection:',
  },
  namespace: {
    type: 'string',
    alias: 'n',
    describe: 'The namespace scope for this request',
    group: 'Connection:',
  },
  'client-certificate': {
    type: 'string',
    describe: 'Path to a client certificate file for TLS',
    group: 'Connection:',
  },
  'client-key': {
    type: 'string',
    describe: 'Path to a client key file for TLS',
    group: 'Connection:',
  },
  as: {
    type: 'string',
    describe: 'Username to impersonate for the operation',
    group: 'Connection:',
  },
  'as-group': {
    type: 'string',
    array: true,
    describe:
      'Group to impersonate for the operation, this flag can be repeated to specify multiple groups',
    group: 'Connection:',
  },
  'as-uid': {
    type: 'string',
    describe: 'UID to impersonate for the operation',
    group: 'Connection:',
  },
  v: {
    type: 'string',
    coerce: parseVerbosity,
    describe:
      'Log level, as kubectl: 1 lists each group-version fetched; 6 logs each request (method, URL, status, milliseconds); 7 adds request headers; 8 adds response headers and bodies (credentials masked). -v alone is 1',
    group: 'Connection:',
  },
  'request-timeout': {
    type: 'string',
    describe:
      "The length of time to wait before giving up on a single server request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero means don't timeout requests. (default 60s)",
    group: 'Connection:',
  },
} as const satisfies Record<string, Options>

/**
 * Parsed values of {@link connectionFlags}.
 *
 * @example
 * const args: ConnectionArgs = { context: 'prod', namespace: 'tools' }
 */
export interface ConnectionArgs {
  kubeconfig?: string | undefined
  context?: string | undefined
  cluster?: string | undefined
  user?: string | undefined
  server?: string | undefined
  token?: string | undefined
  'certificate-authority'?: string | undefined
  'insecure-skip-tls-verify'?: boolean | undefined
  'tls-server-name'?: string | undefined
  namespace?: string | undefined
  'request-timeout'?: string | undefined
  'client-certificate'?: string | undefined
  'client-key'?: string | undefined
  as?: string | undefined
  'as-group'?: string[] | undefined
  'as-uid'?: string | undefined
  /** `-v`/`--v=N`, parsed by {@link parseVerbosity} */
  v?: number | undefined
}

/**
 * The `-v` level of its value: 1 for `-v` alone, else an integer from 0 to 10 as klog takes it
 * (anything else is a usage error); a yargs `coerce`.
 *
 * @example
 * parseVerbosity('6') // 6
 */
export function parseVerbosity(value: string): number {
  if (value === '') return 1
  const level = Number(value)
  if (!Number.isInteger(level) || level < 0 || level > 10)
    throw new CliError(
      'K8S_CODEGEN_CLI_USAGE',
      `-v ${JSON.stringify(value)} is not a log level: give an integer from 0 to 10 (6 logs requests, 8 their bodies)`,
    )
  return level
}

/**
 * Turns the flags into `loadConnection` options; warnings go to stderr.
 *
 * @example
 * const connection = await loadConnection(connectionOptions(args, ctx))
 */
export function connectionOptions(args: ConnectionArgs, ctx: CliContext): LoadConnectionOptions {
  const options: LoadConnectionOptions = {
    env: ctx.env,
    onWarning: (message) => ctx.stderr(`warning: ${message}\n`),
  }
  if (args.kubeconfig !== undefined) options.kubeconfig = args.kubeconfig
  if (args.context !== undefined) options.context = args.context
  if (args.cluster !== undefined) options.cluster = args.cluster
  if (args.user !== undefined) options.user = args.user
  if (args.server !== undefined) options.server = args.server
  if (args.token !== undefined) options.token = args.token
  if (args['certificate-authority'] !== undefined)
    options.certificateAuthority = args['certificate-authority']
  if (args['insecure-skip-tls-verify'] !== undefined)
    options.insecureSkipTlsVerify = args['insecure-skip-tls-verify']
  if (args['tls-server-name'] !== undefined) options.tlsServerName = args['tls-server-name']
  if (args.namespace !== undefined) options.namespace = args.namespace
  if (args['request-timeout'] !== undefined) options.requestTimeout = args['request-timeout']
  if (args['client-certificate'] !== undefined)
    options.clientCertificate = args['client-certificate']
  if (args['client-key'] !== undefined) options.clientKey = args['client-key']
  if (args.as !== undefined) options.as = args.as
  if (args['as-group'] !== undefined) options.asGroups = args['as-group']
  if (args['as-uid'] !== undefined) options.asUid = args['as-uid']
  const level = args.v ?? 0
  if (level >= 6) options.onRequestLog = requestLogger(level, ctx)
  return options
}
