-- 0004_warnings_duty: four-colour warnings and their targets, protection
-- periods and daily zero-incident reports, duty rosters and logs,
-- notification channels and the delivery log. Times are unix ms UTC; 0
-- means "not yet". JSON is TEXT. Acknowledgements and daily reports are
-- also obligations (kinds warning_ack and daily_report), so the one
-- scheduler reminds and escalates them.

CREATE TABLE warnings (
    id           {{ID}},
    org_id       BIGINT NOT NULL REFERENCES orgs (id),
    plan_id      TEXT NOT NULL DEFAULT '',
    color        TEXT NOT NULL,
    category     TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL,
    start_at     BIGINT NOT NULL,
    scope        TEXT NOT NULL DEFAULT '',
    items        TEXT NOT NULL DEFAULT '',
    measures     TEXT NOT NULL DEFAULT '[]',
    ack_minutes  INTEGER NOT NULL DEFAULT 120,
    targeting    TEXT NOT NULL DEFAULT '{}',
    switches     TEXT NOT NULL DEFAULT '[]',
    status       TEXT NOT NULL DEFAULT 'active',
    -- A proposal (建议发布) waits for a higher office: proposed_to is that
    -- office; it issues the warning itself or declines.
    proposed_to  BIGINT NOT NULL DEFAULT 0,
    created_by   BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    lifted_at    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX warnings_org ON warnings (org_id, status);

CREATE TABLE warning_targets (
    id          {{ID}},
    warning_id  BIGINT NOT NULL REFERENCES warnings (id) ON DELETE CASCADE,
    org_id      BIGINT NOT NULL REFERENCES orgs (id),
    reason      TEXT NOT NULL DEFAULT '',
    acked_at    BIGINT NOT NULL DEFAULT 0,
    acked_by    TEXT NOT NULL DEFAULT '',
    done_at     BIGINT NOT NULL DEFAULT 0,
    done_note   TEXT NOT NULL DEFAULT '',
    UNIQUE (warning_id, org_id)
);
CREATE INDEX warning_targets_org ON warning_targets (org_id);

CREATE TABLE warning_changes (
    id          {{ID}},
    warning_id  BIGINT NOT NULL REFERENCES warnings (id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_color  TEXT NOT NULL DEFAULT '',
    to_color    TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX warning_changes_warning ON warning_changes (warning_id, at);

CREATE TABLE periods (
    id            {{ID}},
    org_id        BIGINT NOT NULL REFERENCES orgs (id),
    name          TEXT NOT NULL,
    first_day     TEXT NOT NULL,
    last_day      TEXT NOT NULL,
    cutoff        TEXT NOT NULL DEFAULT '13:00',
    leader_duty   INTEGER NOT NULL DEFAULT 1,
    round_clock   INTEGER NOT NULL DEFAULT 1,
    created_by    BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);

CREATE TABLE period_units (
    period_id BIGINT NOT NULL REFERENCES periods (id) ON DELETE CASCADE,
    org_id    BIGINT NOT NULL REFERENCES orgs (id),
    PRIMARY KEY (period_id, org_id)
);

CREATE TABLE daily_reports (
    id            {{ID}},
    period_id     BIGINT NOT NULL REFERENCES periods (id) ON DELETE CASCADE,
    org_id        BIGINT NOT NULL REFERENCES orgs (id),
    day           TEXT NOT NULL,
    quiet         INTEGER NOT NULL,
    incident_ids  TEXT NOT NULL DEFAULT '[]',
    note          TEXT NOT NULL DEFAULT '',
    submitted_at  BIGINT NOT NULL,
    submitted_by  TEXT NOT NULL,
    late          INTEGER NOT NULL DEFAULT 0,
    UNIQUE (period_id, org_id, day)
);

CREATE TABLE duty_shifts (
    id         {{ID}},
    org_id     BIGINT NOT NULL REFERENCES orgs (id),
    start_at   BIGINT NOT NULL,
    end_at     BIGINT NOT NULL,
    officer    TEXT NOT NULL,
    leader     TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX duty_shifts_org ON duty_shifts (org_id, start_at);

CREATE TABLE duty_log (
    id         {{ID}},
    org_id     BIGINT NOT NULL REFERENCES orgs (id),
    at         BIGINT NOT NULL,
    author     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    body       TEXT NOT NULL
);
CREATE INDEX duty_log_org ON duty_log (org_id, at);

-- Where an org's (or one user's) notifications go. secret is sealed (SM4).
CREATE TABLE channels (
    id         {{ID}},
    org_id     BIGINT NOT NULL REFERENCES orgs (id),
    user_id    BIGINT NOT NULL DEFAULT 0,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    target     TEXT NOT NULL,
    secret     TEXT NOT NULL DEFAULT '',
    events     TEXT NOT NULL DEFAULT '[]',
    enabled    INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);
CREATE INDEX channels_org ON channels (org_id);

CREATE TABLE deliveries_log (
    id              {{ID}},
    notification_id BIGINT NOT NULL DEFAULT 0,
    channel_id      BIGINT NOT NULL DEFAULT 0,
    kind            TEXT NOT NULL,
    target          TEXT NOT NULL,
    title           TEXT NOT NULL,
    attempt         INTEGER NOT NULL,
    status          TEXT NOT NULL,
    error           TEXT NOT NULL DEFAULT '',
    at              BIGINT NOT NULL
);
CREATE INDEX deliveries_log_at ON deliveries_log (at);
