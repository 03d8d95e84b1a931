package mail

import "context"

// Sender delivers one message. Implementations are safe for concurrent use.
type Sender interface {
	// Send delivers m to its single recipient. The error is permanent
	// (see IsPermanent) when retrying cannot succeed.
	Send(ctx context.Context, m *Message) error
	// Close releases connections; Send must not be called afterwards.
	Close() error
}

var (
	_ Sender = (*SMTPSender)(nil)
	_ Sender = (*FileSink)(nil)
)
