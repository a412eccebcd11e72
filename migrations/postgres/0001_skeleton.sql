-- Tenants, users, pages, the agent task log and the job queue (PostgreSQL dialect).
-- Every table holding tenant data leads its keys with tenant_id.

create table tenants (
    id text primary key,
    slug text not null unique,
    name text not null,
    is_platform bigint not null default 0,
    theme text not null,
    created_at bigint not null
);

create table users (
    id text primary key,
    email text not null unique,
    name text not null,
    password_hash text not null,
    created_at bigint not null
);

create table memberships (
    tenant_id text not null references tenants(id) on delete cascade,
    user_id text not null references users(id) on delete cascade,
    role text not null,
    created_at bigint not null,
    primary key (tenant_id, user_id)
);
create index memberships_user on memberships (user_id);

create table pages (
    tenant_id text not null references tenants(id) on delete cascade,
    id text not null,
    slug text not null,
    draft text not null,
    published text,
    created_at bigint not null,
    updated_at bigint not null,
    published_at bigint,
    primary key (tenant_id, id),
    unique (tenant_id, slug)
);

create table agent_tasks (
    tenant_id text not null references tenants(id) on delete cascade,
    id text not null,
    campaign_id text,
    worker_name text not null,
    job_id text,
    task_type text not null,
    status text not null,
    progress bigint not null default 0,
    summary text,
    error text,
    metadata text not null default '{}',
    started_at bigint,
    completed_at bigint,
    created_at bigint not null,
    updated_at bigint not null,
    primary key (tenant_id, id)
);
create index agent_tasks_recent on agent_tasks (tenant_id, created_at desc);

create table agent_task_events (
    id bigserial primary key,
    tenant_id text not null references tenants(id) on delete cascade,
    task_id text not null,
    task text not null,
    created_at bigint not null
);
create index agent_task_events_tenant on agent_task_events (tenant_id, id);

create table jobs (
    id text primary key,
    tenant_id text references tenants(id) on delete cascade,
    kind text not null,
    payload text not null,
    status text not null,
    priority bigint not null default 0,
    run_at bigint not null,
    attempts bigint not null default 0,
    max_attempts bigint not null default 5,
    lease_until bigint,
    last_error text,
    created_at bigint not null,
    updated_at bigint not null
);
create index jobs_due on jobs (status, run_at);
