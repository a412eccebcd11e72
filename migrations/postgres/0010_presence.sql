-- Who has a document open in the editor: one row per open editor (a browser tab holds a
-- stream while the editor is open), so two tabs of one person are two rows.
drop table editing_sessions;
create table editors (
    connection_id text primary key,
    tenant_id text not null references tenants(id) on delete cascade,
    collection text not null,
    document_id text not null,
    user_id text not null,
    user_name text not null,
    seen_at bigint not null
);
create index editors_by_document on editors (tenant_id, collection, document_id);
