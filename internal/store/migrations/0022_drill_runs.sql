-- 0022_drill_runs: a drill run in drill mode (issue 12 item 6). A unit or
-- office starts a run of one playbook of a plan; the playbook's steps
-- become drill tasks, due relative to the run's start and owned as the
-- playbook says. Drill tasks live in their own table, apart from incident
-- tasks: they have no incident and no obligation, so they create no
-- reporting duty, no escalation and no count in on-time statistics, score
-- cards, incident lists or situational counts. Ending the run closes its
-- open tasks as 'drill_ended' (演练结束). drill_id links the drill filed
-- afterwards (0 until then).
CREATE TABLE drill_runs (
    id          {{ID}},
    org_id      BIGINT NOT NULL REFERENCES orgs (id),
    title       TEXT NOT NULL,
    plan_id     TEXT NOT NULL,
    playbook_id TEXT NOT NULL,
    scenario    TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL DEFAULT 'running',
    started_at  BIGINT NOT NULL,
    started_by  BIGINT NOT NULL DEFAULT 0,
    ended_at    BIGINT NOT NULL DEFAULT 0,
    ended_by    BIGINT NOT NULL DEFAULT 0,
    drill_id    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX drill_runs_org ON drill_runs (org_id, started_at, id);
CREATE INDEX drill_runs_started ON drill_runs (started_at, id);

CREATE TABLE drill_tasks (
    id           {{ID}},
    run_id       BIGINT NOT NULL REFERENCES drill_runs (id) ON DELETE CASCADE,
    step_order   INTEGER NOT NULL,
    plan_id      TEXT NOT NULL,
    playbook_id  TEXT NOT NULL,
    step_id      TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL DEFAULT '',
    owner_org_id BIGINT NOT NULL REFERENCES orgs (id),
    owner_note   TEXT NOT NULL DEFAULT '',
    mandatory    INTEGER NOT NULL DEFAULT 0,
    evidence     TEXT NOT NULL DEFAULT '[]',
    due_at       BIGINT NOT NULL DEFAULT 0,
    state        TEXT NOT NULL DEFAULT 'open',
    done_at      BIGINT NOT NULL DEFAULT 0,
    done_by      BIGINT NOT NULL DEFAULT 0,
    done_note    TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
-- A run's tasks in playbook order; an org's unfinished drill tasks soonest
-- first (partial index: finished tasks are most of the table).
CREATE INDEX drill_tasks_run ON drill_tasks (run_id, step_order, id);
CREATE INDEX drill_tasks_owner_open ON drill_tasks (owner_org_id, due_at, id) WHERE state IN ('open', 'in_progress');

CREATE TABLE drill_task_comments (
    id        {{ID}},
    task_id   BIGINT NOT NULL REFERENCES drill_tasks (id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL DEFAULT 0,
    user_name TEXT NOT NULL DEFAULT '',
    body      TEXT NOT NULL,
    at        BIGINT NOT NULL
);
CREATE INDEX drill_task_comments_task ON drill_task_comments (task_id, id);
