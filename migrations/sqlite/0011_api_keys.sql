-- Keys outside agents use to report tasks: only a hash of the key is kept.
create table api_keys (
    tenant_id text not null references tenants(id) on delete cascade,
    id text not null,
    name text not null,
    -- The start of the key, so people can tell their keys apart.
    prefix text not null,
    key_hash text not null,
    created_by text not null,
    created_at bigint not null,
    last_used_at bigint,
    revoked_at bigint,
    primary key (tenant_id, id)
);
create unique index api_keys_by_hash on api_keys (key_hash);

-- Tasks an outside agent created (through which key); only those can be changed through the API.
alter table agent_tasks add column api_key_id text;
