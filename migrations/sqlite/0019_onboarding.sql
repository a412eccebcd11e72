-- The welcome wizard's answers and stage, one row per tenant that has started it, with
-- the ids of the last build's step tasks (a JSON list).
create table onboarding (
    tenant_id text primary key references tenants(id) on delete cascade,
    answers text not null,
    stage text not null,
    steps text not null default '[]',
    updated_at bigint not null
);
