package models

import "gorm.io/gorm"

// WriterForTest exposes the writer to the external tests of this package.
func (s *Store) WriterForTest() *gorm.DB { return s.w }
