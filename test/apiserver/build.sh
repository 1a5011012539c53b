#!/usr/bin/env bash
# Builds bin/k8s-codegen-apiserver (kube-apiserver with an embedded etcd) from the Go modules of
# go.mod. The version variables are the ones Kubernetes' own build sets (hack/lib/version.sh),
# read from go.mod, so /version answers the release the binary was built from.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v go >/dev/null 2>&1; then
  echo "apiserver:build: Go is not installed; the real-apiserver tests will skip" >&2
  exit 1
fi
version="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"
minor="${version#v1.}"
minor="${minor%%.*}"
pkg=k8s.io/component-base/version
go build -ldflags "-s -w -X ${pkg}.gitVersion=${version} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor} -X ${pkg}.gitTreeState=clean" -o bin/k8s-codegen-apiserver .
echo "apiserver:build: bin/k8s-codegen-apiserver (kube-apiserver ${version} with embedded etcd)"
