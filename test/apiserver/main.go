// Command k8s-codegen-apiserver is the real kube-apiserver
// (k8s.io/kubernetes/cmd/kube-apiserver/app) with an embedded etcd, for tests.
//
// Started with no arguments it creates a temporary directory, starts etcd in
// it on random 127.0.0.1 ports, writes a self-signed serving certificate, a
// static token file and service-account keys, and runs kube-apiserver on a
// random 127.0.0.1 port with AlwaysAllow authorization. When /readyz answers
// 200 it prints one JSON line on stdout:
//
//	{"url":"https://127.0.0.1:PORT","caFile":"…","token":"…","kubeconfig":"…","etcd":"http://127.0.0.1:PORT","pid":N}
//
// Every argument is a kube-apiserver flag and replaces the default of the same
// flag. Passing --etcd-servers skips the
// embedded etcd; passing --token-auth-file skips the generated token file (then
// K8S_CODEGEN_APISERVER_TOKEN must name a token of it, for the readiness
// probe). The token is K8S_CODEGEN_APISERVER_TOKEN when set, else random.
//
// It stops (and removes its directory) on SIGTERM/SIGINT, when its parent
// process goes away, and when stdin is a pipe that closes.
package main

import (
	"bufio"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/client-go/util/cert"
	"k8s.io/client-go/util/keyutil"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

type readyLine struct {
	URL        string `json:"url"`
	CAFile     string `json:"caFile"`
	Token      string `json:"token"`
	Kubeconfig string `json:"kubeconfig"`
	Etcd       string `json:"etcd"`
	Pid        int    `json:"pid"`
}

func main() {
	os.Exit(run())
}

func run() int {
	dir, err := os.MkdirTemp("", "k8s-codegen-apiserver-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "k8s-codegen-apiserver:", err)
		return 1
	}
	defer os.RemoveAll(dir)

	args := os.Args[1:]
	ready := readyLine{Pid: os.Getpid()}

	etcdURL := ""
	if !hasFlag(args, "etcd-servers") {
		etcd, err := startEtcd(filepath.Join(dir, "etcd"))
		if err != nil {
			fmt.Fprintln(os.Stderr, "k8s-codegen-apiserver: embedded etcd:", err)
			return 1
		}
		defer etcd.Close()
		etcdURL = "http://" + etcd.Clients[0].Addr().String()
		ready.Etcd = etcdURL
	}

	defaults, err := prepare(dir, args, etcdURL, &ready)
	if err != nil {
		fmt.Fprintln(os.Stderr, "k8s-codegen-apiserver:", err)
		return 1
	}

	stopWhenOrphaned()
	go announceWhenReady(ready)

	// NewAPIServerCommand owns SIGTERM/SIGINT through genericapiserver's
	// SetupSignalContext; the other stop conditions send SIGTERM to ourselves
	// so the apiserver shuts down the same graceful way.
	cmd := app.NewAPIServerCommand()
	cmd.SetArgs(append(defaults, args...))
	if err := cmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "k8s-codegen-apiserver:", err)
		return 1
	}
	return 0
}

// hasFlag tells whether args set the kube-apiserver flag name.
func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == "--"+name || strings.HasPrefix(a, "--"+name+"=") {
			return true
		}
	}
	return false
}

// startEtcd starts a one-member etcd in dir, clients on a random 127.0.0.1
// port. fsync is off: the data dir is thrown away on exit.
func startEtcd(dir string) (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	cfg.Dir = dir
	cfg.LogLevel = "error"
	cfg.UnsafeNoFsync = true
	peerPort, err := freePort()
	if err != nil {
		return nil, err
	}
	client := url.URL{Scheme: "http", Host: "127.0.0.1:0"}
	peer := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(peerPort)}
	cfg.ListenClientUrls = []url.URL{client}
	cfg.AdvertiseClientUrls = []url.URL{client}
	cfg.ListenPeerUrls = []url.URL{peer}
	cfg.AdvertisePeerUrls = []url.URL{peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.ListenMetricsUrls = nil
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, err
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, nil
	case err := <-e.Err():
		e.Close()
		return nil, err
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, errors.New("not ready after 60s")
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// prepare writes the serving certificate, token file, service-account key
// and kubeconfig into dir and returns the default kube-apiserver flags.
func prepare(dir string, args []string, etcdURL string, ready *readyLine) ([]string, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	// cert.GenerateSelfSignedCertKey returns the serving certificate followed
	// by the CA that signed it (client-go util/cert/cert.go).
	certPEM, keyPEM, err := cert.GenerateSelfSignedCertKey("127.0.0.1", []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")}, []string{"localhost"})
	if err != nil {
		return nil, err
	}
	rest := certPEM
	var caBlock *pem.Block
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		caBlock = block
	}
	if caBlock == nil {
		return nil, errors.New("self-signed certificate has no CA")
	}
	files := map[string][]byte{
		"serving.crt": certPEM,
		"serving.key": keyPEM,
		"ca.crt":      pem.EncodeToMemory(caBlock),
	}

	saKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	saPEM, err := keyutil.MarshalPrivateKeyToPEM(saKey)
	if err != nil {
		return nil, err
	}
	files["sa.key"] = saPEM

	ready.URL = "https://127.0.0.1:" + strconv.Itoa(port)
	ready.CAFile = filepath.Join(dir, "ca.crt")
	ready.Kubeconfig = filepath.Join(dir, "kubeconfig")

	defaults := []string{
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(port),
		"--tls-cert-file=" + filepath.Join(dir, "serving.crt"),
		"--tls-private-key-file=" + filepath.Join(dir, "serving.key"),
		"--cert-dir=" + dir,
		"--authorization-mode=AlwaysAllow",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + filepath.Join(dir, "sa.key"),
		"--service-account-signing-key-file=" + filepath.Join(dir, "sa.key"),
		"--service-cluster-ip-range=10.0.0.0/24",
		"--allow-privileged=true",
		// No controller-manager runs, so no token controller fills
		// ServiceAccount tokens: envtest disables this plugin too
		// (controller-runtime pkg/internal/testing/controlplane/apiserver.go).
		"--disable-admission-plugins=ServiceAccount",
		"--endpoint-reconciler-type=none",
	}
	if etcdURL != "" {
		defaults = append(defaults, "--etcd-servers="+etcdURL)
	}
	if !hasFlag(args, "token-auth-file") {
		token := os.Getenv("K8S_CODEGEN_APISERVER_TOKEN")
		if token == "" {
			b := make([]byte, 24)
			if _, err := rand.Read(b); err != nil {
				return nil, err
			}
			token = hex.EncodeToString(b)
		}
		ready.Token = token
		// Token file format: token,user,uid,"group1,group2"
		// (apiserver pkg/authentication/token/tokenfile).
		files["tokens.csv"] = []byte(token + ",admin,admin,system:masters\n")
		defaults = append(defaults, "--token-auth-file="+filepath.Join(dir, "tokens.csv"))
	}
	files["kubeconfig"] = []byte(kubeconfig(ready))

	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o600); err != nil {
			return nil, err
		}
	}
	// A flag the caller sets replaces its default: list flags such as
	// --authorization-mode would otherwise collect both values.
	kept := defaults[:0]
	for _, flag := range defaults {
		name, _, _ := strings.Cut(strings.TrimPrefix(flag, "--"), "=")
		if !hasFlag(args, name) {
			kept = append(kept, flag)
		}
	}
	return kept, nil
}

func kubeconfig(r *readyLine) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: real
  cluster:
    server: %s
    certificate-authority: %s
users:
- name: admin
  user:
    token: %s
contexts:
- name: real
  context:
    cluster: real
    user: admin
current-context: real
`, r.URL, r.CAFile, r.Token)
}

// announceWhenReady polls /readyz with the token and prints the ready line
// once it answers 200. The token is needed: kube-apiserver turns anonymous
// requests off under AlwaysAllow (pkg/kubeapiserver/options/authentication.go).
func announceWhenReady(r readyLine) {
	pem, err := os.ReadFile(r.CAFile)
	if err != nil {
		return
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	client := &http.Client{
		Timeout:   2 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
	}
	for {
		req, _ := http.NewRequest(http.MethodGet, r.URL+"/readyz", nil)
		req.Header.Set("Authorization", "Bearer "+r.Token)
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				line, _ := json.Marshal(r)
				fmt.Fprintln(os.Stdout, string(line))
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stopWhenOrphaned sends SIGTERM to this process when the parent process
// goes away, or when stdin is a pipe and its writer closes it. A terminal or
// /dev/null on stdin is not watched, so a hand-started server keeps running.
func stopWhenOrphaned() {
	// A second signal makes SetupSignalContext exit at once, before the
	// directory is removed: signal once.
	var once sync.Once
	stop := func() { once.Do(func() { syscall.Kill(os.Getpid(), syscall.SIGTERM) }) }
	parent := os.Getppid()
	go func() {
		for os.Getppid() == parent {
			time.Sleep(500 * time.Millisecond)
		}
		stop()
	}()
	info, err := os.Stdin.Stat()
	if err == nil && info.Mode()&os.ModeNamedPipe != 0 {
		go func() {
			io.Copy(io.Discard, bufio.NewReader(os.Stdin))
			stop()
		}()
	}
}
