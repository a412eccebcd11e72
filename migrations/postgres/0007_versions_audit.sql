-- Every save and publish keeps a version; drafts carry a revision number so a save based
-- on an older one is refused; the audit log says who did what.

alter table pages add column revision bigint not null default 1;
alter table posts add column revision bigint not null default 1;
alter table products add column revision bigint not null default 1;

create table document_versions (
    tenant_id text not null references tenants(id) on delete cascade,
    collection text not null,
    document_id text not null,
    number bigint not null,
    action text not null,
    slug text not null,
    content text not null,
    author_id text,
    author_name text not null,
    created_at bigint not null,
    primary key (tenant_id, collection, document_id, number)
);

create table audit_log (
    tenant_id text not null references tenants(id) on delete cascade,
    id text not null,
    at bigint not null,
    user_id text,
    user_name text not null,
    action text not null,
    collection text not null,
    document_id text not null,
    title text not null,
    primary key (tenant_id, id)
);
create index audit_log_recent on audit_log (tenant_id, at desc);
