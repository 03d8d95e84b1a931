package ical

import (
	"fmt"
	"time"
)

// Timezone writes a VTIMEZONE for loc that is exact over [from, to): one observance for the
// offset in force at from and one for every transition before to, each with its own onset (no
// recurrence rules, so nothing depends on rules guessed from Go's zone data).
func (w *Writer) Timezone(loc *time.Location, from, to time.Time) {
	w.Begin("VTIMEZONE")
	w.Text("TZID", loc.String())
	t := from.In(loc)
	start, end := t.ZoneBounds()
	if start.IsZero() {
		w.observance(t, time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), offsetOf(t))
	} else {
		w.observance(start, start, offsetOf(start.Add(-time.Second)))
	}
	for i := 0; i < 1000 && !end.IsZero() && end.Before(to); i++ {
		prev := offsetOf(end.Add(-time.Second))
		w.observance(end.In(loc), end, prev)
		_, end = end.In(loc).ZoneBounds()
	}
	w.End("VTIMEZONE")
}

// observance writes the STANDARD or DAYLIGHT part in force from onset, when the offset changed
// from prevOffset to zone's offset. DTSTART is the onset as a local time in the previous offset.
func (w *Writer) observance(zone, onset time.Time, prevOffset int) {
	name, offset := zone.Zone()
	kind := "STANDARD"
	if zone.IsDST() {
		kind = "DAYLIGHT"
	}
	w.Begin(kind)
	w.Raw("DTSTART", LocalTime(onset.In(time.FixedZone("", prevOffset))))
	w.Raw("TZOFFSETFROM", formatOffset(prevOffset))
	w.Raw("TZOFFSETTO", formatOffset(offset))
	if name != "" {
		w.Text("TZNAME", name)
	}
	w.End(kind)
}

func offsetOf(t time.Time) int {
	_, off := t.Zone()
	return off
}

// formatOffset writes a UTC offset in seconds as ±hhmm, or ±hhmmss when it has seconds.
func formatOffset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	h, m, s := sec/3600, sec/60%60, sec%60
	if s != 0 {
		return fmt.Sprintf("%c%02d%02d%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%c%02d%02d", sign, h, m)
}
