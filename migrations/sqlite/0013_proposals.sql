-- What agents propose and people approve or reject (a drafted post...).
create table proposals (
    tenant_id text not null references tenants(id) on delete cascade,
    id text not null,
    task_id text,
    kind text not null,
    title text not null,
    content text not null,
    -- How it was made: which language model, or the template drafter.
    note text not null,
    status text not null,
    reason text,
    decided_by text,
    decided_at bigint,
    -- What approving made (the draft post's id).
    result_id text,
    created_at bigint not null,
    primary key (tenant_id, id)
);
create index proposals_by_status on proposals (tenant_id, status, created_at);

-- Language model calls and tokens per tenant per day (UTC).
create table llm_usage (
    tenant_id text not null references tenants(id) on delete cascade,
    day text not null,
    calls bigint not null,
    prompt_tokens bigint not null,
    completion_tokens bigint not null,
    primary key (tenant_id, day)
);
