-- 0002_incidents: incidents, their reports and where the reports went,
-- obligations (everything with a due time), the hash-chained timeline,
-- evidence, in-app notifications and durable jobs. Times are unix ms UTC;
-- 0 means "not yet". JSON is TEXT.

CREATE TABLE incidents (
    id                  {{ID}},
    org_id              BIGINT NOT NULL REFERENCES orgs (id),
    title               TEXT NOT NULL,
    category            TEXT NOT NULL DEFAULT '',
    taxonomy            TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL,
    occurred_at         BIGINT NOT NULL DEFAULT 0,
    discovered_at       BIGINT NOT NULL,
    reported_at         BIGINT NOT NULL DEFAULT 0,
    facts               TEXT NOT NULL DEFAULT '{}',
    description         TEXT NOT NULL DEFAULT '',
    impact              TEXT NOT NULL DEFAULT '',
    measures            TEXT NOT NULL DEFAULT '',
    grade               TEXT NOT NULL DEFAULT 'IV',
    computed_grade      TEXT NOT NULL DEFAULT 'IV',
    grade_override      TEXT NOT NULL DEFAULT '',
    override_reason     TEXT NOT NULL DEFAULT '',
    grading             TEXT NOT NULL DEFAULT '[]',
    channel             TEXT NOT NULL DEFAULT 'unit',
    caller              TEXT NOT NULL DEFAULT '',
    entered_by          BIGINT NOT NULL DEFAULT 0,
    source              TEXT NOT NULL DEFAULT '',
    response_level      TEXT NOT NULL DEFAULT '',
    response_started_at BIGINT NOT NULL DEFAULT 0,
    response_ended_at   BIGINT NOT NULL DEFAULT 0,
    handling_ended_at   BIGINT NOT NULL DEFAULT 0,
    close_reason        TEXT NOT NULL DEFAULT '',
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX incidents_org ON incidents (org_id);
CREATE INDEX incidents_status ON incidents (status);

CREATE TABLE incident_systems (
    incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    system_id   BIGINT NOT NULL REFERENCES systems (id),
    PRIMARY KEY (incident_id, system_id)
);

-- Every grading of an incident: facts, grade and the clauses that fired.
CREATE TABLE incident_grades (
    id             {{ID}},
    incident_id    BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    at             BIGINT NOT NULL,
    grade          TEXT NOT NULL,
    computed_grade TEXT NOT NULL,
    override_grade TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL DEFAULT '',
    facts          TEXT NOT NULL,
    grading        TEXT NOT NULL,
    actor_id       BIGINT NOT NULL DEFAULT 0,
    actor_name     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incident_grades_incident ON incident_grades (incident_id);

CREATE TABLE reports (
    id             {{ID}},
    incident_id    BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    number         INTEGER NOT NULL DEFAULT 1,
    revision       INTEGER NOT NULL DEFAULT 1,
    content        TEXT NOT NULL DEFAULT '{}',
    signer         TEXT NOT NULL DEFAULT '',
    reporter_name  TEXT NOT NULL DEFAULT '',
    reporter_phone TEXT NOT NULL DEFAULT '',
    submitted_at   BIGINT NOT NULL DEFAULT 0,
    submitted_by   BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    UNIQUE (incident_id, kind, number, revision)
);

-- A report sent to one organisation, by a plan's route, and its receipt.
CREATE TABLE report_deliveries (
    id             {{ID}},
    report_id      BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    incident_id    BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    from_org_id    BIGINT NOT NULL REFERENCES orgs (id),
    to_org_id      BIGINT NOT NULL REFERENCES orgs (id),
    plan_id        TEXT NOT NULL DEFAULT '',
    route_id       TEXT NOT NULL DEFAULT '',
    forwarded_from BIGINT NOT NULL DEFAULT 0,
    note           TEXT NOT NULL DEFAULT '',
    sent_at        BIGINT NOT NULL,
    sent_by        BIGINT NOT NULL DEFAULT 0,
    received_at    BIGINT NOT NULL DEFAULT 0,
    received_by    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX report_deliveries_to ON report_deliveries (to_org_id, received_at);
CREATE INDEX report_deliveries_incident ON report_deliveries (incident_id);

-- Everything with a due time. One table, one scheduler, one overdue rule.
CREATE TABLE obligations (
    id               {{ID}},
    kind             TEXT NOT NULL,
    incident_id      BIGINT NOT NULL DEFAULT 0,
    subject_id       BIGINT NOT NULL DEFAULT 0,
    owner_org_id     BIGINT NOT NULL REFERENCES orgs (id),
    recipient_org_id BIGINT NOT NULL DEFAULT 0,
    recipient_name   TEXT NOT NULL DEFAULT '',
    plan_id          TEXT NOT NULL DEFAULT '',
    rule_id          TEXT NOT NULL DEFAULT '',
    clause           TEXT NOT NULL DEFAULT '',
    title            TEXT NOT NULL,
    due_at           BIGINT NOT NULL DEFAULT 0,
    urgency          TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL DEFAULT 'open',
    done_at          BIGINT NOT NULL DEFAULT 0,
    done_note        TEXT NOT NULL DEFAULT '',
    remind_at        BIGINT NOT NULL DEFAULT 0,
    reminded_at      BIGINT NOT NULL DEFAULT 0,
    escalated_at     BIGINT NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX obligations_open_due ON obligations (state, due_at);
CREATE INDEX obligations_remind ON obligations (state, remind_at, reminded_at);
CREATE INDEX obligations_incident ON obligations (incident_id);
CREATE INDEX obligations_owner ON obligations (owner_org_id, state);
CREATE INDEX obligations_recipient ON obligations (recipient_org_id, state);

-- The incident timeline: append-only, each entry chained to the one before
-- by SM3 so that an edited or removed entry shows.
CREATE TABLE timeline (
    incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    at          BIGINT NOT NULL,
    actor_id    BIGINT NOT NULL DEFAULT 0,
    actor_name  TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL DEFAULT '{}',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (incident_id, seq)
);

CREATE TABLE evidence (
    id           {{ID}},
    incident_id  BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sm3          TEXT NOT NULL,
    storage_key  TEXT NOT NULL UNIQUE,
    note         TEXT NOT NULL DEFAULT '',
    uploaded_by  BIGINT NOT NULL DEFAULT 0,
    uploaded_at  BIGINT NOT NULL
);
CREATE INDEX evidence_incident ON evidence (incident_id);

-- In-app notifications, to an organisation (everyone in it) or one user.
CREATE TABLE notifications (
    id         {{ID}},
    org_id     BIGINT NOT NULL DEFAULT 0,
    user_id    BIGINT NOT NULL DEFAULT 0,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    link       TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    read_at    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notifications_org ON notifications (org_id, created_at);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

-- Durable background jobs (deliveries of notifications …): claimed, run,
-- retried with backoff; a restart loses none.
CREATE TABLE jobs (
    id           {{ID}},
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL DEFAULT '{}',
    run_at       BIGINT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 8,
    state        TEXT NOT NULL DEFAULT 'pending',
    locked_until BIGINT NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (state, run_at);
