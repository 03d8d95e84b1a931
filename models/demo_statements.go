package models

import "context"

// demoStatements adds the demo conference's position statements (owned by the statements feature).
func (s *Store) demoStatements(ctx context.Context, conf *Conference, orgs []*Organisation, delegates []*Delegate) error {
	return nil
}
