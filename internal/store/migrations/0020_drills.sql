-- 0020_drills: prevention and preparedness (seed 001 §6.2–§6.4, §6.7.2).
-- Drills each unit files with its office (at least one a year; the yearly
-- duty is an obligation of kind 'drill_year', subject_id = the year,
-- incident_id 0); training and publicity activities; the capability score
-- weights live in settings ('capability:<office id>').
CREATE TABLE drills (
    id               {{ID}},
    org_id           BIGINT NOT NULL REFERENCES orgs (id),
    year             INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    held_on          BIGINT NOT NULL,
    title            TEXT NOT NULL,
    participants     TEXT NOT NULL,
    headcount        INTEGER NOT NULL,
    plan_id          TEXT NOT NULL,
    playbook_id      TEXT NOT NULL DEFAULT '',
    scenario         TEXT NOT NULL,
    result           TEXT NOT NULL,
    improvements     TEXT NOT NULL DEFAULT '',
    filed_to_org_id  BIGINT NOT NULL DEFAULT 0,
    file_name        TEXT NOT NULL DEFAULT '',
    file_type        TEXT NOT NULL DEFAULT '',
    file_size        BIGINT NOT NULL DEFAULT 0,
    file_sm3         TEXT NOT NULL DEFAULT '',
    file_key         TEXT NOT NULL DEFAULT '',
    created_by       BIGINT NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL
);
CREATE INDEX drills_org_year ON drills (org_id, year, held_on, id);
CREATE INDEX drills_year ON drills (year, held_on, id);

CREATE TABLE activities (
    id         {{ID}},
    org_id     BIGINT NOT NULL REFERENCES orgs (id),
    category   TEXT NOT NULL,
    held_on    BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    audience   TEXT NOT NULL,
    headcount  INTEGER NOT NULL,
    summary    TEXT NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX activities_org ON activities (org_id, held_on, id);
CREATE INDEX activities_held ON activities (held_on, id);
