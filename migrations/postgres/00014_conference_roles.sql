-- Wave 2 (issue 12, least privilege): a staff account's role is per conference. Admins stay
-- instance-wide (accounts.role = 'admin'); an organiser or reviewer works only on the conferences
-- listed here for them. Every existing non-admin account keeps its role on every existing
-- conference, so nothing changes for it until an admin narrows it.
-- +goose Up
CREATE TABLE staff_conference_roles (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, conference_id)
);
CREATE INDEX staff_conference_roles_conference ON staff_conference_roles(conference_id);
INSERT INTO staff_conference_roles (account_id, conference_id, role, created_at)
SELECT a.id, c.id, a.role, CURRENT_TIMESTAMP FROM accounts a CROSS JOIN conferences c WHERE a.role <> 'admin';

-- +goose Down
DROP TABLE staff_conference_roles;
