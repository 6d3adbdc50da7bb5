-- 0009_tasks: playbook and ad-hoc tasks of an incident. Each task has an
-- obligation (kind 'task', subject_id = the task) created and closed in the
-- same transaction, so the one scheduler reminds and escalates it.
CREATE TABLE tasks (
    id            {{ID}},
    incident_id   BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    activation_id BIGINT NOT NULL DEFAULT 0,
    plan_id       TEXT NOT NULL DEFAULT '',
    playbook_id   TEXT NOT NULL DEFAULT '',
    step_id       TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL,
    body          TEXT NOT NULL DEFAULT '',
    owner_org_id  BIGINT NOT NULL REFERENCES orgs (id),
    owner_role    TEXT NOT NULL DEFAULT '',
    owner_user_id BIGINT NOT NULL DEFAULT 0,
    anchor        TEXT NOT NULL DEFAULT '',
    due_at        BIGINT NOT NULL DEFAULT 0,
    state         TEXT NOT NULL DEFAULT 'open',
    mandatory     INTEGER NOT NULL DEFAULT 0,
    evidence      TEXT NOT NULL DEFAULT '[]',
    obligation_id BIGINT NOT NULL DEFAULT 0,
    created_by    BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    done_by       BIGINT NOT NULL DEFAULT 0,
    done_at       BIGINT NOT NULL DEFAULT 0,
    done_note     TEXT NOT NULL DEFAULT ''
);
-- An incident's tasks in due order (those without a due time last, by id);
-- an org's unfinished tasks soonest first, from a partial index that holds
-- only those (finished tasks are most of the table, and an org's list reads
-- its first page in order and stops).
CREATE INDEX tasks_incident ON tasks (incident_id, due_at, id);
CREATE INDEX tasks_owner_open ON tasks (owner_org_id, due_at, id) WHERE state IN ('open', 'in_progress');

CREATE TABLE task_comments (
    id          {{ID}},
    task_id     BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL DEFAULT 0,
    user_name   TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    evidence_id BIGINT NOT NULL DEFAULT 0,
    at          BIGINT NOT NULL
);
CREATE INDEX task_comments_task ON task_comments (task_id, id);
