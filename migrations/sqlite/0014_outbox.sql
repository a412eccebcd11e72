-- Email the platform sends for a tenant (the weekly digest): what was sent, and what
-- waits here because no mail server is configured.
create table outbox (
    tenant_id text not null references tenants(id) on delete cascade,
    id text not null,
    recipient text not null,
    subject text not null,
    body text not null,
    created_at bigint not null,
    sent_at bigint,
    error text,
    primary key (tenant_id, id)
);
create index outbox_recent on outbox (tenant_id, created_at desc);

-- One platform-wide schedule per kind (every process makes sure the digest's exists).
create unique index schedules_global_kind on schedules (kind) where tenant_id is null;
