package web

import (
	"slices"
	"strings"
	"time"
)

// timetable is one day as a table: a row per moment a session starts or ends, a column per
// room; a session's cell spans the rows it lasts (rowspan, so no style attribute is needed).
type timetable struct {
	Rooms []string
	Rows  []timetableRow
}

// timetableRow is one moment of the day and what starts then in each room (nil: the cell is
// covered by a session above; an empty cell: nothing).
type timetableRow struct {
	Time  string
	Cells []*timetableCell
}

// timetableCell is a cell of the timetable: the sessions that start in it (more than one when
// a room is double-booked) and how many rows it spans.
type timetableCell struct {
	Sessions []agendaItem
	Span     int
}

// newTimetable lays the day out by room. Sessions without a room get the last column.
func newTimetable(d *agendaDay) *timetable {
	if len(d.Rooms) < 2 {
		return nil // one column says nothing the list does not
	}
	var marks []time.Time
	for _, s := range d.Sessions {
		marks = append(marks, s.start, s.end)
	}
	slices.SortFunc(marks, func(a, b time.Time) int { return a.Compare(b) })
	marks = slices.CompactFunc(marks, func(a, b time.Time) bool { return a.Equal(b) })
	if len(marks) < 2 {
		return nil
	}
	marks = marks[:len(marks)-1] // the last end starts nothing
	t := &timetable{}
	for _, r := range d.Rooms {
		t.Rooms = append(t.Rooms, r.Name)
	}
	row := func(at time.Time) int {
		i, _ := slices.BinarySearchFunc(marks, at, func(a, b time.Time) int { return a.Compare(b) })
		return i
	}
	grid := make([][]*timetableCell, len(marks))
	covered := make([][]bool, len(marks))
	for i := range marks {
		grid[i] = make([]*timetableCell, len(d.Rooms))
		covered[i] = make([]bool, len(d.Rooms))
	}
	for col, r := range d.Rooms {
		for _, s := range r.Sessions {
			from, to := row(s.start), row(s.end)
			if to <= from {
				to = from + 1
			}
			if covered[from][col] { // a double booking: shown in the cell already there
				for k := from; k >= 0; k-- {
					if grid[k][col] != nil {
						grid[k][col].Sessions = append(grid[k][col].Sessions, s)
						break
					}
				}
				continue
			}
			grid[from][col] = &timetableCell{Sessions: []agendaItem{s}, Span: to - from}
			for k := from; k < to && k < len(marks); k++ {
				covered[k][col] = true
			}
		}
	}
	for i, at := range marks {
		r := timetableRow{Time: at.Format("15:04")}
		for col := range d.Rooms {
			switch {
			case grid[i][col] != nil:
				r.Cells = append(r.Cells, grid[i][col])
			case covered[i][col]:
				r.Cells = append(r.Cells, nil)
			default:
				r.Cells = append(r.Cells, &timetableCell{Span: 1})
			}
		}
		t.Rows = append(t.Rows, r)
	}
	return t
}

// langNames lists languages by their own names ("Deutsch, English"), not their codes.
func langNames(codes []string) string {
	names := make([]string, 0, len(codes))
	for _, c := range codes {
		if n, ok := languageNames[c]; ok {
			names = append(names, n)
		} else {
			names = append(names, c)
		}
	}
	return strings.Join(names, ", ")
}
