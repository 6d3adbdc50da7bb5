-- The capability score card (issue 12, drills) counts one kind of duty per
-- unit over a year: kind and due time lead, so the year's range is one index
-- range on either engine (obligations_kind_due puts state between them).
CREATE INDEX obligations_kind_due_at ON obligations (kind, due_at, owner_org_id);
