-- Recurring jobs: a cron expression per schedule; whichever process moves next_run_at
-- on first enqueues that run (so each run is enqueued once, however many processes).
create table schedules (
    id text primary key,
    tenant_id text references tenants(id) on delete cascade,
    kind text not null,
    cron text not null,
    payload text not null,
    next_run_at bigint not null,
    last_run_at bigint,
    created_at bigint not null
);
create index schedules_due on schedules (next_run_at);

-- Which process holds a running job's lease (for operators, and to prove exactly-once).
alter table jobs add column locked_by text;
