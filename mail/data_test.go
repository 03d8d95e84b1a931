package mail

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestTemplatesAndDataArePaired checks both directions of the pairing: the data struct NewData
// gives for each template names that template, and every data struct declared in data.go (each
// type ending in "Data" with a Template method) is the registered one of the template it names.
func TestTemplatesAndDataArePaired(t *testing.T) {
	registered := map[string]Template{} // data struct name → its template
	for _, name := range TemplateNames() {
		d, ok := NewData(name)
		if !ok {
			t.Fatalf("NewData(%s): got no data struct", name)
		}
		if got := d.Template(); got != name {
			t.Errorf("NewData(%s) is %T, whose Template() is %q; want %q", name, d, got, name)
		}
		registered[reflect.TypeOf(d).Elem().Name()] = name
	}

	f, err := parser.ParseFile(token.NewFileSet(), "data.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var structs, withMethod []string
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				if ts, ok := spec.(*ast.TypeSpec); ok && strings.HasSuffix(ts.Name.Name, "Data") {
					if _, isStruct := ts.Type.(*ast.StructType); isStruct {
						structs = append(structs, ts.Name.Name)
					}
				}
			}
		case *ast.FuncDecl:
			if d.Recv != nil && d.Name.Name == "Template" {
				if star, ok := d.Recv.List[0].Type.(*ast.StarExpr); ok {
					withMethod = append(withMethod, star.X.(*ast.Ident).Name)
				}
			}
		}
	}
	if len(structs) != len(registered) {
		t.Errorf("data.go declares %d data structs %v, the table has %d", len(structs), structs, len(registered))
	}
	for _, s := range structs {
		if !slices.Contains(withMethod, s) {
			t.Errorf("%s has no Template method", s)
		}
		if _, ok := registered[s]; !ok {
			t.Errorf("%s is not the data struct of any template in the table", s)
		}
	}
}
