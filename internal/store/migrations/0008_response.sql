-- 0008_response: response levels (seed 001 §4.2, §4.3). One row of
-- response_activations per period of one level: a level change supersedes
-- the active row and starts a new one, so an incident's rows, oldest first,
-- are its level history. Times are unix ms UTC; 0 means "not yet".
CREATE TABLE response_activations (
    id               {{ID}},
    incident_id      BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    plan_id          TEXT NOT NULL DEFAULT '',
    level            TEXT NOT NULL,
    state            TEXT NOT NULL,
    requested_by     BIGINT NOT NULL DEFAULT 0,
    requested_org_id BIGINT NOT NULL DEFAULT 0,
    requested_at     BIGINT NOT NULL DEFAULT 0,
    decided_by       BIGINT NOT NULL DEFAULT 0,
    decided_org_id   BIGINT NOT NULL DEFAULT 0,
    decided_at       BIGINT NOT NULL DEFAULT 0,
    clause           TEXT NOT NULL DEFAULT '',
    reason           TEXT NOT NULL DEFAULT '',
    hand_up_org_id   BIGINT NOT NULL DEFAULT 0,
    previous_id      BIGINT NOT NULL DEFAULT 0,
    activated_at     BIGINT NOT NULL DEFAULT 0,
    ended_at         BIGINT NOT NULL DEFAULT 0,
    ended_by         BIGINT NOT NULL DEFAULT 0,
    end_clause       TEXT NOT NULL DEFAULT '',
    end_notice       TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
-- An incident's history in order; the activations waiting for (or handed up
-- to) an office, newest first.
CREATE INDEX response_activations_incident ON response_activations (incident_id, id);
CREATE INDEX response_activations_hand_up ON response_activations (hand_up_org_id, state, id);

-- The command structure (指挥部 / 领导小组) of an activation.
CREATE TABLE command_members (
    id            {{ID}},
    activation_id BIGINT NOT NULL REFERENCES response_activations (id) ON DELETE CASCADE,
    role          TEXT NOT NULL,
    name          TEXT NOT NULL,
    org_id        BIGINT NOT NULL DEFAULT 0,
    user_id       BIGINT NOT NULL DEFAULT 0,
    phone         TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL
);
CREATE INDEX command_members_activation ON command_members (activation_id, id);

-- The switches a level applied (24-hour duty, standby, progress reports …),
-- each once per activation.
CREATE TABLE response_switches (
    id            {{ID}},
    activation_id BIGINT NOT NULL REFERENCES response_activations (id) ON DELETE CASCADE,
    switch_key    TEXT NOT NULL,
    applied_at    BIGINT NOT NULL,
    detail        TEXT NOT NULL DEFAULT '{}',
    UNIQUE (activation_id, switch_key)
);

-- Who was told of the activation, and so gets the end notice; the end
-- notice's delivery and acknowledgement per recipient.
CREATE TABLE end_notice_recipients (
    id            {{ID}},
    activation_id BIGINT NOT NULL REFERENCES response_activations (id) ON DELETE CASCADE,
    org_id        BIGINT NOT NULL DEFAULT 0,
    user_id       BIGINT NOT NULL DEFAULT 0,
    name          TEXT NOT NULL DEFAULT '',
    notified_at   BIGINT NOT NULL,
    end_sent_at   BIGINT NOT NULL DEFAULT 0,
    delivery      TEXT NOT NULL DEFAULT 'pending',
    delivery_note TEXT NOT NULL DEFAULT '',
    acked_at      BIGINT NOT NULL DEFAULT 0,
    acked_by      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX end_notice_recipients_activation ON end_notice_recipients (activation_id, id);
-- An org's end notices sent and still to acknowledge, oldest first.
CREATE INDEX end_notice_recipients_org ON end_notice_recipients (org_id, acked_at, end_sent_at, id);
