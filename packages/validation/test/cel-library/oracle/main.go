// Command oracle evaluates CEL expressions in kube-apiserver's own CEL environment and prints
// the results as JSON rows: the facts test/cel-library/library-facts.test.ts checks the
// TypeScript library against. It reads the expressions of k8s.io/apiserver pkg/cel/library's
// test files (every `expr:` literal) plus the ones in expressions.json, and evaluates each in
// environment.MustBaseEnvSet(1.37).StoredExpressionsEnv() — the environment CRD validation
// rules already stored in a CRD are evaluated in (apiextensions-apiserver
// pkg/apiserver/schema/cel/compilation.go) — with the per-call cost limit (PerCallLimit).
//
// Run: npm run cel:facts -w @k8s-codegen/validation (needs Go and the module cache).
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"

	"k8s.io/apimachinery/pkg/util/version"
	apiservercel "k8s.io/apiserver/pkg/cel"
	"k8s.io/apiserver/pkg/cel/environment"
)

type facts struct {
	Generated string `json:"generated"`
	Rows      []row  `json:"rows"`
}

type row struct {
	Given string `json:"given"`
	From  string `json:"from"`
	Want  want   `json:"want"`
}

type want struct {
	Value        *string `json:"value,omitempty"`
	Error        *string `json:"error,omitempty"`
	CompileError *string `json:"compileError,omitempty"`
	Cost         *uint64 `json:"cost,omitempty"`
}

var exprLiteral = regexp.MustCompile("(?m)^\\s*expr:\\s*(`[^`]*`|\"(?:[^\"\\\\]|\\\\.)*\")")

func main() {
	env := environment.MustBaseEnvSet(version.MajorMinor(1, 37)).StoredExpressionsEnv()
	var rows []row
	seen := map[string]bool{}
	add := func(expr, from string) {
		if seen[expr] {
			return
		}
		seen[expr] = true
		rows = append(rows, row{Given: expr, From: from, Want: evaluate(env, expr)})
	}
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		panic(err)
	}
	dir := filepath.Join(strings.TrimSpace(string(modcache)), "k8s.io/apiserver@v0.37.2/pkg/cel/library")
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if len(files) == 0 {
		panic("no test files under " + dir + ": go mod download k8s.io/apiserver@v0.37.2")
	}
	sort.Strings(files)
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			panic(err)
		}
		for _, m := range exprLiteral.FindAllStringSubmatch(string(src), -1) {
			expr, err := strconv.Unquote(m[1])
			if err != nil {
				panic(err)
			}
			add(expr, "k8s.io/apiserver@v0.37.2 pkg/cel/library/"+filepath.Base(file))
		}
	}
	var extra []string
	src, err := os.ReadFile("expressions.json")
	if err != nil {
		panic(err)
	}
	if err := json.Unmarshal(src, &extra); err != nil {
		panic(err)
	}
	for _, expr := range extra {
		add(expr, "expressions.json")
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	out.SetEscapeHTML(false)
	if err := out.Encode(facts{Generated: "DO NOT EDIT: npm run cel:facts -w @k8s-codegen/validation", Rows: rows}); err != nil {
		panic(err)
	}
}

func evaluate(env *cel.Env, expr string) want {
	ast, iss := env.Compile(expr)
	if iss.Err() != nil {
		msg := iss.Err().Error()
		return want{CompileError: &msg}
	}
	prg, err := env.Program(ast)
	if err != nil {
		msg := err.Error()
		return want{CompileError: &msg}
	}
	val, details, err := prg.Eval(cel.NoVars())
	var cost *uint64
	if details != nil {
		cost = details.ActualCost()
	}
	if err != nil {
		msg := err.Error()
		return want{Error: &msg, Cost: cost}
	}
	shown := show(val)
	return want{Value: &shown, Cost: cost}
}

// show prints a value as a CEL literal (the same printer as test/cel-library/_show.ts).
func show(v ref.Val) string {
	switch v := v.(type) {
	case types.Bool:
		return strconv.FormatBool(bool(v))
	case types.Int:
		return strconv.FormatInt(int64(v), 10)
	case types.Uint:
		return strconv.FormatUint(uint64(v), 10) + "u"
	case types.Double:
		f := float64(v)
		switch {
		case math.IsNaN(f):
			return "double(\"NaN\")"
		case math.IsInf(f, 1):
			return "double(\"Infinity\")"
		case math.IsInf(f, -1):
			return "double(\"-Infinity\")"
		}
		s := strconv.FormatFloat(f, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEn") {
			s += ".0"
		}
		return s
	case types.String:
		return strconv.Quote(string(v))
	case types.Bytes:
		return "b" + strconv.Quote(string(v))
	case types.Null:
		return "null"
	case types.Duration:
		return "duration(\"" + v.Duration.String() + "\")"
	case types.Timestamp:
		return "timestamp(\"" + v.Time.UTC().Format("2006-01-02T15:04:05.999999999Z07:00") + "\")"
	case *types.Optional:
		if !v.HasValue() {
			return "optional.none()"
		}
		return "optional.of(" + show(v.GetValue()) + ")"
	case apiservercel.Quantity:
		return "quantity(\"" + v.Quantity.String() + "\")"
	case apiservercel.IP:
		return "ip(\"" + v.Addr.String() + "\")"
	case apiservercel.CIDR:
		return "cidr(\"" + v.Prefix.String() + "\")"
	case apiservercel.URL:
		return "url(\"" + v.URL.String() + "\")"
	case apiservercel.Semver:
		return "semver(\"" + v.Version.String() + "\")"
	case apiservercel.Format:
		return "format(\"" + v.Name + "\")"
	case traits.Lister:
		var parts []string
		for it := v.Iterator(); it.HasNext() == types.True; {
			parts = append(parts, show(it.Next()))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case traits.Mapper:
		var parts []string
		for it := v.Iterator(); it.HasNext() == types.True; {
			k := it.Next()
			parts = append(parts, show(k)+": "+show(v.Get(k)))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ", ") + "}"
	case ref.Type:
		return "type(" + v.TypeName() + ")"
	}
	return fmt.Sprintf("<%s %v>", v.Type().TypeName(), v.Value())
}
