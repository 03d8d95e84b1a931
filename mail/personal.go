package mail

// The data whose only personal fields are a name and a link, which the worker renders from
// skeletons (see renderCache).
var (
	_ personalised = (*AnnouncementData)(nil)
	_ personalised = (*ConfirmData)(nil)
	_ personalised = (*LoginData)(nil)
	_ personalised = (*AlreadyRegisteredData)(nil)
)

func (d *AnnouncementData) personal() (name, link string) { return d.Name, d.UnsubscribeURL }

func (d *AnnouncementData) withPersonal(name, link string) (any, Data) {
	return changed(d, func(c *AnnouncementData) { c.Name, c.UnsubscribeURL = name, link })
}

func (d *ConfirmData) personal() (name, link string) { return d.Name, d.Link }

func (d *ConfirmData) withPersonal(name, link string) (any, Data) {
	return changed(d, func(c *ConfirmData) { c.Name, c.Link = name, link })
}

func (d *LoginData) personal() (name, link string) { return d.Name, d.Link }

func (d *LoginData) withPersonal(name, link string) (any, Data) {
	return changed(d, func(c *LoginData) { c.Name, c.Link = name, link })
}

func (d *AlreadyRegisteredData) personal() (name, link string) { return d.Name, d.Link }

func (d *AlreadyRegisteredData) withPersonal(name, link string) (any, Data) {
	return changed(d, func(c *AlreadyRegisteredData) { c.Name, c.Link = name, link })
}

// changed returns a copy of *d with set applied to it: as a value, and as data to render.
func changed[T any, P interface {
	*T
	Data
}](d P, set func(P)) (any, Data) {
	c := *d
	set(&c)
	return c, P(&c)
}
