-- The media library: one row per uploaded image; the files live on disk.
create table media (
    tenant_id text not null references tenants(id) on delete cascade,
    id text not null,
    filename text not null,
    content_type text not null,
    bytes bigint not null,
    width bigint not null,
    height bigint not null,
    alt text not null default '',
    variants text not null default '[]',
    created_at bigint not null,
    primary key (tenant_id, id)
);
create index media_newest on media (tenant_id, created_at desc);
