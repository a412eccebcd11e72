-- Custom domains. A tenant may add any domain; only one tenant can have it verified, so
-- adding someone else's domain gets you nothing.
create table domains (
    tenant_id text not null references tenants(id) on delete cascade,
    host text not null,
    token text not null,
    verified_at bigint,
    last_checked_at bigint,
    last_error text,
    prefer_www bigint not null default 0,
    created_at bigint not null,
    primary key (tenant_id, host)
);
create unique index domains_verified_host on domains (host) where verified_at is not null;
