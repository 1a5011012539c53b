#!/usr/bin/env bash
# Builds bin/helm (Helm 4, server-side apply by default) from the Go modules of go.mod, so the Helm
# suite drives the same release against the emulator and the real kube-apiserver. The version
# variable is the one Helm's own Makefile sets (LDFLAGS -X helm.sh/helm/v4/internal/version.version),
# read from go.mod, so `helm version` names the release it was built from.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v go >/dev/null 2>&1; then
  echo "helm:build: Go is not installed; the Helm tests will skip" >&2
  exit 1
fi
version="$(go list -m -f '{{.Version}}' helm.sh/helm/v4)"
go build -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=${version}" -o bin/helm helm.sh/helm/v4/cmd/helm
echo "helm:build: bin/helm (Helm ${version})"
