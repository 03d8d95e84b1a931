package mail

import (
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// packetConfig builds key-generation configs with a fixed clock.
type packetConfig struct{ now time.Time }

func (p *packetConfig) config(lifetimeSecs uint32) *packet.Config {
	return &packet.Config{Time: func() time.Time { return p.now }, KeyLifetimeSecs: lifetimeSecs}
}
