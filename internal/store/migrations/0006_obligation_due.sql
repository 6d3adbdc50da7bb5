-- The scheduler's claims: open obligations whose reminder or escalation is
-- still to do, in due order. Partial indexes, so that the many obligations
-- that stay open after their escalation (the owner has not reported yet) are
-- not scanned again by every claim.
CREATE INDEX obligations_escalation_due ON obligations (due_at, id)
    WHERE state = 'open' AND escalated_at = 0 AND due_at > 0;
CREATE INDEX obligations_reminder_due ON obligations (remind_at, id)
    WHERE state = 'open' AND reminded_at = 0 AND remind_at > 0;
