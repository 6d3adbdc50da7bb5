-- 0014_response_duty: what an activated response level records besides its
-- row in response_activations (0008). response_duties: the offices that keep
-- the 24-hour duty a level switches on (duty_24h, seed 001 §2.2(1)), from
-- activation until the level ends or is superseded (ends_at 0 while it
-- holds), so that the duty page can show a gap in the roster. response_approvals:
-- the approval an activation records when the plan names an approving body
-- (经旗委网信委批准后, 001 §4.2.2). Times are unix ms UTC.
CREATE TABLE response_duties (
    id            {{ID}},
    activation_id BIGINT NOT NULL REFERENCES response_activations (id) ON DELETE CASCADE,
    incident_id   BIGINT NOT NULL,
    org_id        BIGINT NOT NULL,
    hours_per_day BIGINT NOT NULL DEFAULT 24,
    clause        TEXT NOT NULL DEFAULT '',
    starts_at     BIGINT NOT NULL,
    ends_at       BIGINT NOT NULL DEFAULT 0
);
-- An activation's duty offices; the duties an office keeps now.
CREATE INDEX response_duties_activation ON response_duties (activation_id, id);
CREATE INDEX response_duties_org ON response_duties (org_id, ends_at, id);

CREATE TABLE response_approvals (
    id            {{ID}},
    activation_id BIGINT NOT NULL REFERENCES response_activations (id) ON DELETE CASCADE,
    body          TEXT NOT NULL,
    reference     TEXT NOT NULL,
    approved_at   BIGINT NOT NULL,
    recorded_by   BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);
CREATE INDEX response_approvals_activation ON response_approvals (activation_id, id);
