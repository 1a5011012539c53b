// Kubeconfig sources and merging, reproducing client-go `tools/clientcmd/loader.go`
// (`ClientConfigLoadingRules.Load`, `LoadFromFile`, `ResolveLocalPaths`) and the v1 → internal
// conversion in `tools/clientcmd/api/v1/conversion.go` (duplicate names are an error).
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ClusterError } from './errors.js'
import type {
  KubeconfigAuthProvider,
  KubeconfigCluster,
  KubeconfigContext,
  KubeconfigExec,
  KubeconfigFile,
  KubeconfigUser,
  MergedKubeconfig,
  Sourced,
} from './kubeconfig-types.js'

/** Where the kubeconfig files come from, in kubectl's order. */
export interface KubeconfigSources {
  /** `--kubeconfig`: only this file, and it must exist. */
  kubeconfig?: string | undefined
  env: Record<string, string | undefined>
  homeDir?: string | undefined
  onWarning?: ((message: string) => void) | undefined
}

/** The candidate files, in precedence order, and how they were chosen. */
export function kubeconfigCandidates(sources: KubeconfigSources): {
  paths: string[]
  origin: 'flag' | 'env' | 'home'
} {
  if (sources.kubeconfig !== undefined && sources.kubeconfig !== '') {
    return { paths: [path.resolve(sources.kubeconfig)], origin: 'flag' }
  }
  const envValue = sources.env['KUBECONFIG']
  if (envValue !== undefined && envValue !== '') {
    // filepath.SplitList + deduplicate: empty entries are dropped, the first occurrence wins.
    const seen = new Set<string>()
    const paths: string[] = []
    for (const entry of envValue.split(path.delimiter)) {
      if (entry === '') continue
      const absolute = path.resolve(entry)
      if (seen.has(absolute)) continue
      seen.add(absolute)
      paths.push(absolute)
    }
    return { paths, origin: 'env' }
  }
  const home = sources.homeDir ?? sources.env['HOME'] ?? homedir()
  return { paths: [path.join(home, '.kube', 'config')], origin: 'home' }
}

/**
 * Loads and merges the kubeconfig files kubectl would use. Missing files are skipped (except an
 * explicit `--kubeconfig`); an unparseable file is an error naming it.
 */
export async function loadKubeconfig(sources: KubeconfigSources): Promise<MergedKubeconfig> {
  const { paths, origin } = kubeconfigCandidates(sources)
  const files: KubeconfigFile[] = []
  const missing: string[] = []
  for (const file of paths) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      if (isNotFound(error) && origin !== 'flag') {
        missing.push(file)
        continue
      }
      if (isNotFound(error)) {
        throw new ClusterError(
          'K8S_CODEGEN_CLUSTER_CONFIG_NOT_FOUND',
          `kubeconfig file ${file} given with --kubeconfig does not exist`,
          { cause: error },
        )
      }
      throw new ClusterError(
        'K8S_CODEGEN_CLUSTER_CONFIG_FILE_UNREADABLE',
        `cannot read kubeconfig file ${file}: ${(error as Error).message}`,
        { cause: error },
      )
    }
    files.push(parseKubeconfig(text, file))
  }
  // loader.go warns only when every listed file is missing (WarnIfAllMissing).
  if (origin === 'env' && files.length === 0 && missing.length > 0) {
    sources.onWarning?.(`kubeconfig not found: ${missing.join(', ')} (from KUBECONFIG)`)
  }
  return mergeKubeconfigs(files)
}

/**
 * Merges parsed files: for every cluster, user and context name the first file that defines it
 * wins, whole; `current-context` comes from the first file that sets it. (client-go merges the
 * maps with mergo in reverse order, so earlier files override later ones entry by entry.)
 */
export function mergeKubeconfigs(files: readonly KubeconfigFile[]): MergedKubeconfig {
  const merged: MergedKubeconfig = {
    files: files.map((f) => f.path),
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
  }
  for (const file of files) {
    if (merged.currentContext === undefined && file.currentContext !== undefined) {
      merged.currentContext = { name: file.currentContext, file: file.path }
    }
    for (const entry of file.clusters) {
      if (!merged.clusters.has(entry.name)) merged.clusters.set(entry.name, entry)
    }
    for (const entry of file.users)
      if (!merged.users.has(entry.name)) merged.users.set(entry.name, entry)
    for (const entry of file.contexts) {
      if (!merged.contexts.has(entry.name)) merged.contexts.set(entry.name, entry)
    }
  }
  return merged
}

/**
 * Parses one kubeconfig file (YAML 1.1 like Go's yaml decoder, so JSON works too), checks field
 * types, decodes `*-data` fields and resolves relative paths against the file's directory.
 */
export function parseKubeconfig(text: string, file: string): KubeconfigFile {
  let raw: unknown
  try {
    // go-yaml v2 (behind sigs.k8s.io/yaml) implements YAML 1.1: `yes`/`on`/`y` are booleans.
    raw = parseYaml(text, { version: '1.1' })
  } catch (error) {
    // The parser quotes the offending lines, which may hold a token: keep only its first line
    // ("… at line 3, column 5") and drop the cause.
    const first = (error as Error).message.split('\n')[0] ?? ''
    throw parseError(file, `is not valid YAML or JSON: ${first}`)
  }
  const result: KubeconfigFile = { path: file, clusters: [], users: [], contexts: [] }
  if (raw === null || raw === undefined) return result
  if (!isRecord(raw)) throw parseError(file, 'must contain a mapping (a kubeconfig object)')
  const apiVersion = optionalString(raw, 'apiVersion', file, 'apiVersion')
  if (apiVersion !== undefined && apiVersion !== '' && apiVersion !== 'v1') {
    throw parseError(file, `has apiVersion "${apiVersion}"; only "v1" kubeconfig files exist`)
  }
  const kind = optionalString(raw, 'kind', file, 'kind')
  if (kind !== undefined && kind !== '' && kind !== 'Config') {
    throw parseError(file, `has kind "${kind}"; a kubeconfig has kind "Config"`)
  }
  const current = optionalString(raw, 'current-context', file, 'current-context')
  if (current !== undefined && current !== '') result.currentContext = current
  const dir = path.dirname(path.resolve(file))

  result.clusters = namedList(raw, 'clusters', 'cluster', file, (value, where) =>
    parseCluster(value, where, file, dir),
  )
  result.users = namedList(raw, 'users', 'user', file, (value, where) =>
    parseUser(value, where, file, dir),
  )
  result.contexts = namedList(raw, 'contexts', 'context', file, (value, where) => {
    const context: KubeconfigContext = {}
    assign(context, 'cluster', optionalString(value, 'cluster', file, `${where}.cluster`))
    assign(context, 'user', optionalString(value, 'user', file, `${where}.user`))
    assign(context, 'namespace', optionalString(value, 'namespace', file, `${where}.namespace`))
    return context
  })
  return result
}

function parseCluster(
  value: Record<string, unknown>,
  where: string,
  file: string,
  dir: string,
): KubeconfigCluster {
  const cluster: KubeconfigCluster = {}
  assign(cluster, 'server', optionalString(value, 'server', file, `${where}.server`))
  const ca = optionalString(value, 'certificate-authority', file, `${where}.certificate-authority`)
  assign(cluster, 'certificateAuthority', resolveLocalPath(ca, dir))
  assign(
    cluster,
    'certificateAuthorityData',
    optionalBytes(value, 'certificate-authority-data', file, where),
  )
  assign(
    cluster,
    'insecureSkipTlsVerify',
    optionalBoolean(value, 'insecure-skip-tls-verify', file, `${where}.insecure-skip-tls-verify`),
  )
  assign(
    cluster,
    'tlsServerName',
    optionalString(value, 'tls-server-name', file, `${where}.tls-server-name`),
  )
  assign(cluster, 'proxyUrl', optionalString(value, 'proxy-url', file, `${where}.proxy-url`))
  assign(
    cluster,
    'disableCompression',
    optionalBoolean(value, 'disable-compression', file, `${where}.disable-compression`),
  )
  const extensions = value['extensions']
  if (Array.isArray(extensions)) {
    for (const extension of extensions) {
      if (isRecord(extension) && extension['name'] === 'client.authentication.k8s.io/exec') {
        cluster.execExtension = extension['extension']
      }
    }
  }
  return cluster
}

function parseUser(
  value: Record<string, unknown>,
  where: string,
  file: string,
  dir: string,
): KubeconfigUser {
  const user: KubeconfigUser = {}
  const cert = optionalString(value, 'client-certificate', file, `${where}.client-certificate`)
  assign(user, 'clientCertificate', resolveLocalPath(cert, dir))
  assign(
    user,
    'clientCertificateData',
    optionalBytes(value, 'client-certificate-data', file, where),
  )
  const key = optionalString(value, 'client-key', file, `${where}.client-key`)
  assign(user, 'clientKey', resolveLocalPath(key, dir))
  assign(user, 'clientKeyData', optionalBytes(value, 'client-key-data', file, where))
  assign(user, 'token', optionalString(value, 'token', file, `${where}.token`))
  const tokenFile = optionalString(value, 'tokenFile', file, `${where}.tokenFile`)
  assign(user, 'tokenFile', resolveLocalPath(tokenFile, dir))
  assign(user, 'username', optionalString(value, 'username', file, `${where}.username`))
  assign(user, 'password', optionalString(value, 'password', file, `${where}.password`))

  const provider = value['auth-provider']
  if (provider !== undefined && provider !== null) {
    if (!isRecord(provider)) throw fieldType(file, `${where}.auth-provider`, 'a mapping', provider)
    const config: Record<string, string> = {}
    const rawConfig = provider['config']
    if (rawConfig !== undefined && rawConfig !== null) {
      if (!isRecord(rawConfig)) {
        throw fieldType(file, `${where}.auth-provider.config`, 'a mapping', rawConfig)
      }
      for (const [k, v] of Object.entries(rawConfig)) {
        if (typeof v !== 'string') {
          throw fieldType(file, `${where}.auth-provider.config.${k}`, 'a string', v)
        }
        config[k] = v
      }
    }
    const authProvider: KubeconfigAuthProvider = {
      name: optionalString(provider, 'name', file, `${where}.auth-provider.name`) ?? '',
      config,
    }
    user.authProvider = authProvider
  }

  const exec = value['exec']
  if (exec !== undefined && exec !== null) {
    if (!isRecord(exec)) throw fieldType(file, `${where}.exec`, 'a mapping', exec)
    const at = `${where}.exec`
    const command = optionalString(exec, 'command', file, `${at}.command`) ?? ''
    const parsed: KubeconfigExec = {
      // GetAuthInfoFileReferences: only a command containing a path separator is file-relative;
      // a bare name is looked up on PATH.
      command: command.includes(path.sep) ? path.resolve(dir, command) : command,
      args: stringList(exec, 'args', file, `${at}.args`),
      env: [],
      apiVersion: optionalString(exec, 'apiVersion', file, `${at}.apiVersion`) ?? '',
      provideClusterInfo:
        optionalBoolean(exec, 'provideClusterInfo', file, `${at}.provideClusterInfo`) ?? false,
    }
    assign(parsed, 'installHint', optionalString(exec, 'installHint', file, `${at}.installHint`))
    const mode = optionalString(exec, 'interactiveMode', file, `${at}.interactiveMode`)
    assign(parsed, 'interactiveMode', mode === '' ? undefined : mode)
    const env = exec['env']
    if (env !== undefined && env !== null) {
      if (!Array.isArray(env)) throw fieldType(file, `${at}.env`, 'a list', env)
      env.forEach((item: unknown, i) => {
        if (!isRecord(item)) throw fieldType(file, `${at}.env[${i}]`, 'a mapping', item)
        parsed.env.push({
          name: optionalString(item, 'name', file, `${at}.env[${i}].name`) ?? '',
          value: optionalString(item, 'value', file, `${at}.env[${i}].value`) ?? '',
        })
      })
    }
    user.exec = parsed
  }
  return user
}

function namedList<T>(
  raw: Record<string, unknown>,
  listKey: 'clusters' | 'users' | 'contexts',
  itemKey: 'cluster' | 'user' | 'context',
  file: string,
  parseItem: (value: Record<string, unknown>, where: string) => T,
): Sourced<T>[] {
  const list = raw[listKey]
  if (list === undefined || list === null) return []
  if (!Array.isArray(list)) throw fieldType(file, listKey, 'a list', list)
  const seen = new Set<string>()
  const out: Sourced<T>[] = []
  list.forEach((item: unknown, index) => {
    if (!isRecord(item)) throw fieldType(file, `${listKey}[${index}]`, 'a mapping', item)
    const name = optionalString(item, 'name', file, `${listKey}[${index}].name`) ?? ''
    const where = `${listKey}[name="${name}"].${itemKey}`
    // Convert_Slice_v1_Named*_To_Map_*: a name may appear only once per file.
    if (seen.has(name)) {
      throw new ClusterError(
        'K8S_CODEGEN_CLUSTER_CONFIG_DUPLICATE_NAME',
        `kubeconfig file ${file} defines ${listKey} entry "${name}" more than once (${listKey}[${index}]); names must be unique within a file`,
      )
    }
    seen.add(name)
    const value = item[itemKey]
    if (value !== undefined && value !== null && !isRecord(value)) {
      throw fieldType(file, where, 'a mapping', value)
    }
    out.push({ name, file, value: parseItem(isRecord(value) ? value : {}, where) })
  })
  return out
}

function resolveLocalPath(value: string | undefined, dir: string): string | undefined {
  if (value === undefined || value === '') return value
  return path.isAbsolute(value) ? value : path.join(dir, value)
}

function optionalString(
  obj: Record<string, unknown>,
  key: string,
  file: string,
  where: string,
): string | undefined {
  const value = obj[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw fieldType(file, where, 'a string', value)
  return value
}

function optionalBoolean(
  obj: Record<string, unknown>,
  key: string,
  file: string,
  where: string,
): boolean | undefined {
  const value = obj[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') throw fieldType(file, where, 'a boolean', value)
  return value
}

function stringList(
  obj: Record<string, unknown>,
  key: string,
  file: string,
  where: string,
): string[] {
  const value = obj[key]
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw fieldType(file, where, 'a list of strings', value)
  return value.map((item: unknown, i) => {
    if (typeof item !== 'string') throw fieldType(file, `${where}[${i}]`, 'a string', item)
    return item
  })
}

// []byte fields are base64 in YAML/JSON; Go's decoder (base64.StdEncoding) ignores CR/LF and
// rejects anything else that is not canonical base64.
function optionalBytes(
  obj: Record<string, unknown>,
  key: string,
  file: string,
  where: string,
): Uint8Array | undefined {
  const value = optionalString(obj, key, file, `${where}.${key}`)
  if (value === undefined || value === '') return undefined
  const compact = value.replace(/[\r\n]/g, '')
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    // The value may be a secret (client-key-data): name the field, never echo it.
    throw parseError(file, `field ${where}.${key} is not valid base64`)
  }
  return Buffer.from(compact, 'base64')
}

function fieldType(file: string, where: string, want: string, got: unknown): ClusterError {
  const kind = got === null ? 'null' : Array.isArray(got) ? 'list' : typeof got
  return parseError(file, `field ${where} must be ${want}, got a ${kind}`)
}

function parseError(file: string, rule: string): ClusterError {
  return new ClusterError('K8S_CODEGEN_CLUSTER_CONFIG_PARSE', `kubeconfig file ${file} ${rule}`)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}

// exactOptionalPropertyTypes: only set a key when there is a value.
function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined) {
  if (value !== undefined) target[key] = value
}
