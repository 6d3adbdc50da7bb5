-- 0010_aftermath: after the response (seed 001 §5). Aftermath documents, one
-- row per version; the approval chain of each version; improvement measures
-- tracked as obligations (kind 'improvement', subject_id = the measure);
-- rewards and accountability records (§5.4).
CREATE TABLE aftermath_documents (
    id            {{ID}},
    incident_id   BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    version       INTEGER NOT NULL,
    state         TEXT NOT NULL DEFAULT 'draft',
    body          TEXT NOT NULL DEFAULT '{}',
    author_id     BIGINT NOT NULL DEFAULT 0,
    author_org_id BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    submitted_at  BIGINT NOT NULL DEFAULT 0,
    decided_at    BIGINT NOT NULL DEFAULT 0,
    UNIQUE (incident_id, kind, version)
);

CREATE TABLE aftermath_approvals (
    id              {{ID}},
    document_id     BIGINT NOT NULL REFERENCES aftermath_documents (id) ON DELETE CASCADE,
    step_order      INTEGER NOT NULL,
    approver_org_id BIGINT NOT NULL REFERENCES orgs (id),
    decision        TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    user_id         BIGINT NOT NULL DEFAULT 0,
    at              BIGINT NOT NULL,
    UNIQUE (document_id, step_order)
);

CREATE TABLE improvements (
    id            {{ID}},
    incident_id   BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    document_id   BIGINT NOT NULL DEFAULT 0,
    body          TEXT NOT NULL,
    owner_org_id  BIGINT NOT NULL REFERENCES orgs (id),
    owner_user_id BIGINT NOT NULL DEFAULT 0,
    due_at        BIGINT NOT NULL DEFAULT 0,
    state         TEXT NOT NULL DEFAULT 'open',
    obligation_id BIGINT NOT NULL DEFAULT 0,
    created_by    BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    done_by       BIGINT NOT NULL DEFAULT 0,
    done_at       BIGINT NOT NULL DEFAULT 0,
    done_note     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX improvements_incident ON improvements (incident_id, id);
CREATE INDEX improvements_owner ON improvements (owner_org_id, state, due_at, id);

CREATE TABLE accountability_records (
    id             {{ID}},
    incident_id    BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    subject        TEXT NOT NULL,
    subject_org_id BIGINT NOT NULL DEFAULT 0,
    basis          TEXT NOT NULL,
    decision       TEXT NOT NULL,
    decided_org_id BIGINT NOT NULL DEFAULT 0,
    decided_by     BIGINT NOT NULL DEFAULT 0,
    at             BIGINT NOT NULL
);
CREATE INDEX accountability_records_incident ON accountability_records (incident_id, id);
