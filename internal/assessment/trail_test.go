package assessment

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Every trail entry this package makes names its action by one of the
// constants TrailActions lists, never by a string written in place: the
// message catalogue's test (internal/web) then covers every action there is.
func TestTrailActionsAreConstants(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	consts := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec: // const ActX = "x"
				for i, id := range n.Names {
					if lit, ok := valueAt(n.Values, i).(*ast.BasicLit); ok && strings.HasPrefix(id.Name, "Act") && len(id.Name) > 3 {
						consts[id.Name] = strings.Trim(lit.Value, `"`)
					}
				}
			case *ast.CompositeLit:
				if typ, ok := n.Type.(*ast.Ident); ok && typ.Name == "TrailEntry" {
					for _, e := range n.Elts {
						if kv, ok := e.(*ast.KeyValueExpr); ok && kv.Key.(*ast.Ident).Name == "Action" {
							if _, lit := kv.Value.(*ast.BasicLit); lit {
								t.Errorf("%s: a trail action written in place", fset.Position(kv.Pos()))
							}
						}
					}
				}
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "review" && len(n.Args) > 5 {
					if _, lit := n.Args[5].(*ast.BasicLit); lit {
						t.Errorf("%s: a trail action written in place", fset.Position(n.Args[5].Pos()))
					}
				}
			}
			return true
		})
	}
	for name, value := range consts {
		if !slices.Contains(TrailActions, value) {
			t.Errorf("%s (%q) is not in TrailActions", name, value)
		}
	}
	if len(consts) != len(TrailActions) {
		t.Errorf("%d action constants, %d in TrailActions", len(consts), len(TrailActions))
	}
}

func valueAt(values []ast.Expr, i int) ast.Expr {
	if i < len(values) {
		return values[i]
	}
	return nil
}
