-- 0015_task_steps: a playbook step becomes at most one task per incident
-- and activation, even when two transactions instantiate the same
-- playbooks at once (PostgreSQL's read committed lets both read "none
-- yet"): the second insert fails instead of doubling the task.
CREATE UNIQUE INDEX tasks_step ON tasks (incident_id, activation_id, plan_id, playbook_id, step_id) WHERE playbook_id <> '';
