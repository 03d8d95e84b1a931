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
	c := *d
	c.Name, c.UnsubscribeURL = name, link
	return c, &c
}

func (d *ConfirmData) personal() (name, link string) { return d.Name, d.Link }

func (d *ConfirmData) withPersonal(name, link string) (any, Data) {
	c := *d
	c.Name, c.Link = name, link
	return c, &c
}

func (d *LoginData) personal() (name, link string) { return d.Name, d.Link }

func (d *LoginData) withPersonal(name, link string) (any, Data) {
	c := *d
	c.Name, c.Link = name, link
	return c, &c
}

func (d *AlreadyRegisteredData) personal() (name, link string) { return d.Name, d.Link }

func (d *AlreadyRegisteredData) withPersonal(name, link string) (any, Data) {
	c := *d
	c.Name, c.Link = name, link
	return c, &c
}
