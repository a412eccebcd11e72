-- Who has a document open in the editor, refreshed by their editor every few seconds.
create table editing_sessions (
    tenant_id text not null references tenants(id) on delete cascade,
    collection text not null,
    document_id text not null,
    user_id text not null,
    user_name text not null,
    seen_at bigint not null,
    primary key (tenant_id, collection, document_id, user_id)
);
