package models_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// allModels lists every GORM model. TestEveryTableHasAModel fails when a migrated table has no
// model here, so a new table cannot escape the round trip.
func allModels() []any {
	return []any{
		&models.Conference{}, &models.Organisation{}, &models.Delegate{}, &models.Account{}, &models.AuthToken{},
		&models.Room{}, &models.Session{}, &models.SessionPerson{}, &models.SessionStatement{}, &models.Attendance{},
		&models.AgendaRelease{}, &models.Statement{}, &models.StatementTranslation{}, &models.StatementVersion{},
		&models.StatementComment{}, &models.Cosignature{}, &models.Amendment{}, &models.Ballot{}, &models.BallotVote{}, &models.BallotTally{}, &models.DelegationMember{}, &models.Checkin{},
		&models.OutboxMessage{}, &models.AuditEvent{}, &models.Announcement{},
		&models.AgendaItem{}, &models.SpeakerRequest{}, &models.LiveState{},
		&models.RegistrationDecoy{}, &models.Setting{}, &models.ConferenceRole{},
	}
}

// TestEveryTableHasAModel lists the tables and columns of the migrated database and fails when a
// table (other than goose's) has no model in allModels, or a column no field in its model, on
// SQLite and PostgreSQL.
func TestEveryTableHasAModel(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		db := st.WriterForTest()
		fields := map[string][]string{} // table → the columns its model maps
		for _, m := range allModels() {
			stmt := &gorm.Statement{DB: db}
			if err := stmt.Parse(m); err != nil {
				t.Fatalf("parse %T: %v", m, err)
			}
			fields[stmt.Schema.Table] = stmt.Schema.DBNames
		}
		cols := modelstest.Columns(t, db)
		tables := modelstest.Tables(cols)
		if len(tables) < len(allModels()) {
			t.Fatalf("the migrated database lists %d tables (%v), fewer than the %d models", len(tables), tables, len(allModels()))
		}
		for _, table := range tables {
			if _, ok := fields[table]; !ok && table != modelstest.GooseTable {
				t.Errorf("table %s has no model in allModels: it is not round-tripped", table)
			}
		}
		for table := range fields {
			if !slices.Contains(tables, table) {
				t.Errorf("model table %s is not in the migrated database", table)
			}
		}
		for _, c := range cols {
			if names, ok := fields[c.Table]; ok && !slices.Contains(names, c.Name) {
				t.Errorf("column %s.%s has no field in its model: it is not round-tripped", c.Table, c.Name)
			}
		}
	})
}

var roundTripTime = time.Date(2027, 9, 5, 13, 45, 30, 123456000, time.UTC)

// fill sets every persisted field of the struct v points to: foreign keys from refs (by field
// name), IDs fresh, everything else a distinctive non-zero value of its type.
func fill(v any, refs map[string]string) {
	rv := reflect.ValueOf(v).Elem()
	rt := rv.Type()
	for i := 0; i < rt.NumField(); i++ {
		f, fv := rt.Field(i), rv.Field(i)
		if !f.IsExported() || strings.Contains(f.Tag.Get("gorm"), "-") && !strings.Contains(f.Tag.Get("gorm"), "primaryKey") {
			continue
		}
		if f.Anonymous && f.Type.Kind() == reflect.Struct { // an embedded model: its fields are the row's
			fill(fv.Addr().Interface(), refs)
			continue
		}
		date := strings.Contains(f.Tag.Get("gorm"), "type:date")
		var val reflect.Value
		switch fv.Interface().(type) {
		case string, *string:
			s := fmt.Sprintf("v-%s-%s", strings.ToLower(f.Name), models.NewID()[:8])
			if f.Name == "ID" {
				s = models.NewID()
			} else if id, ok := refs[f.Name]; ok {
				s = id
			}
			val = reflect.ValueOf(s)
		case int, *int:
			val = reflect.ValueOf(7)
		case int64, *int64:
			val = reflect.ValueOf(int64(7))
		case bool:
			val = reflect.ValueOf(true)
		case time.Time, *time.Time:
			t := roundTripTime
			if date {
				t = time.Date(2027, 9, 5, 0, 0, 0, 0, time.UTC)
			}
			val = reflect.ValueOf(t)
		case []byte:
			b := make([]byte, 16)
			rand.Read(b)
			val = reflect.ValueOf(b)
		case models.StringList:
			val = reflect.ValueOf(models.StringList{"en", "uk"})
		case models.SessionTranslations:
			val = reflect.ValueOf(models.SessionTranslations{"uk": {Title: "Відкриття", Description: "Про відкриття"}})
		case models.Candidates:
			val = reflect.ValueOf(models.Candidates{{ID: "c1", Name: "Rosa"}})
		case models.Audience:
			val = reflect.ValueOf(models.Audience{Statuses: []models.DelegateStatus{"approved"}, OrganisationIDs: []string{"o1"},
				Languages: []string{"uk"}, Roles: []models.DelegateRole{"delegate"}, Attendance: []models.AttendanceMode{"remote"}})
		default:
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() != reflect.String { // named string types: statuses, kinds, roles
				panic(fmt.Sprintf("fill: no value for %s.%s (%s)", rt.Name(), f.Name, f.Type))
			}
			val = reflect.ValueOf(fmt.Sprintf("v-%s-%s", strings.ToLower(f.Name), models.NewID()[:8])).Convert(et)
		}
		if fv.Kind() == reflect.Pointer {
			p := reflect.New(fv.Type().Elem())
			p.Elem().Set(val)
			val = p
		}
		fv.Set(val)
	}
}

// TestEveryModelRoundTrips writes every model with every field set through the migrated schema
// and reads it back unchanged, on SQLite and PostgreSQL.
func TestEveryModelRoundTrips(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		db := st.WriterForTest().WithContext(context.Background())
		refs := map[string]string{}
		// The parents every foreign key points at, created in dependency order.
		for _, p := range []struct {
			v    any
			keys []string
		}{
			{&models.Conference{}, []string{"ConferenceID"}},
			{&models.Organisation{}, []string{"OrganisationID"}},
			{&models.Delegate{}, []string{"DelegateID", "AuthorID"}},
			{&models.Account{}, []string{"AccountID"}},
			{&models.Room{}, []string{"RoomID"}},
			{&models.Session{}, []string{"SessionID"}},
			{&models.Statement{}, []string{"StatementID"}},
			{&models.Amendment{}, []string{"AmendmentID"}},
			{&models.Ballot{}, []string{"BallotID"}},
			{&models.AgendaItem{}, []string{"ItemID"}},
		} {
			fill(p.v, refs)
			if err := db.Create(p.v).Error; err != nil {
				t.Fatalf("create parent %T: %v", p.v, err)
			}
			id := reflect.ValueOf(p.v).Elem().FieldByName("ID").String()
			for _, k := range p.keys {
				refs[k] = id
			}
		}
		for _, m := range allModels() {
			fill(m, refs)
			if err := db.Create(m).Error; err != nil {
				t.Errorf("create %T: %v", m, err)
				continue
			}
			back := reflect.New(reflect.TypeOf(m).Elem()).Interface()
			q := db.Model(back)
			rv := reflect.ValueOf(m).Elem()
			if f := rv.FieldByName("ID"); f.IsValid() {
				q = q.Where("id = ?", f.String())
			} else {
				q = q.Where(m) // composite primary key: match on every field
			}
			if err := q.Take(back).Error; err != nil {
				t.Errorf("read %T: %v", m, err)
				continue
			}
			if diff := diffModels(m, back); diff != "" {
				t.Errorf("%T changed in the round trip: %s", m, diff)
			}
		}
	})
}

func diffModels(a, b any) string {
	av, bv := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	var diffs []string
	for i := 0; i < av.NumField(); i++ {
		f := av.Type().Field(i)
		if !f.IsExported() || f.Tag.Get("gorm") == "-" {
			continue
		}
		if f.Anonymous && f.Type.Kind() == reflect.Struct { // an embedded model: compare its fields
			if d := diffModels(av.Field(i).Addr().Interface(), bv.Field(i).Addr().Interface()); d != "" {
				diffs = append(diffs, d)
			}
			continue
		}
		x, y := av.Field(i).Interface(), bv.Field(i).Interface()
		if tx, ok := x.(time.Time); ok {
			if !tx.Equal(y.(time.Time)) {
				diffs = append(diffs, fmt.Sprintf("%s: %v != %v", f.Name, x, y))
			}
			continue
		}
		if tx, ok := x.(*time.Time); ok && tx != nil {
			if ty := y.(*time.Time); ty == nil || !tx.Equal(*ty) {
				diffs = append(diffs, fmt.Sprintf("%s: %v != %v", f.Name, tx, y))
			}
			continue
		}
		if !reflect.DeepEqual(x, y) {
			diffs = append(diffs, fmt.Sprintf("%s: %v != %v", f.Name, x, y))
		}
	}
	return strings.Join(diffs, "; ")
}
