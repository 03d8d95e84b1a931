package domain

import (
	"fmt"
	"strings"
	"time"
)

// dateNames holds short weekday (Sunday first) and month names and the day layout of a language.
type dateNames struct {
	weekdays [7]string
	months   [12]string
	day      func(weekday string, day int, month string) string
}

var whenNames = map[string]dateNames{
	"en": {
		[7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
		[12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
		func(w string, d int, m string) string { return fmt.Sprintf("%s %d %s", w, d, m) },
	},
	"de": {
		[7]string{"So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"},
		[12]string{"Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."},
		func(w string, d int, m string) string { return fmt.Sprintf("%s., %d. %s", w, d, m) },
	},
	"fr": {
		[7]string{"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."},
		[12]string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
		func(w string, d int, m string) string { return fmt.Sprintf("%s %d %s", w, d, m) },
	},
	"ru": {
		[7]string{"вс", "пн", "вт", "ср", "чт", "пт", "сб"},
		[12]string{"янв.", "февр.", "марта", "апр.", "мая", "июня", "июля", "авг.", "сент.", "окт.", "нояб.", "дек."},
		func(w string, d int, m string) string { return fmt.Sprintf("%s, %d %s", w, d, m) },
	},
	"uk": {
		[7]string{"нд", "пн", "вт", "ср", "чт", "пт", "сб"},
		[12]string{"січ.", "лют.", "бер.", "квіт.", "трав.", "черв.", "лип.", "серп.", "вер.", "жовт.", "лист.", "груд."},
		func(w string, d int, m string) string { return fmt.Sprintf("%s, %d %s", w, d, m) },
	},
}

// formatWhen writes a session's time for a mail in lang, in the conference's time zone loc, for
// example "Mon 6 Sep, 10:00–11:30 CEST". A session that ends on another day names both days.
func formatWhen(lang string, loc *time.Location, start, end time.Time) string {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	names, ok := whenNames[base]
	if !ok {
		names = whenNames["en"]
	}
	start, end = start.In(loc), end.In(loc)
	day := func(t time.Time) string {
		return names.day(names.weekdays[t.Weekday()], t.Day(), names.months[t.Month()-1])
	}
	zone, _ := end.Zone()
	if zone == "" || zone[0] == '+' || zone[0] == '-' {
		zone = "UTC" + end.Format("-07:00")
	}
	sy, sm, sd := start.Date()
	ey, em, ed := end.Date()
	if sy == ey && sm == em && sd == ed {
		return fmt.Sprintf("%s, %s–%s %s", day(start), start.Format("15:04"), end.Format("15:04"), zone)
	}
	return fmt.Sprintf("%s, %s – %s, %s %s", day(start), start.Format("15:04"), day(end), end.Format("15:04"), zone)
}
