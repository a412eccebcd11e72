-- Teams: when each member last signed in, and invitations by email (a single-use link
-- valid for seven days; only a hash of its token is kept).
alter table users add column last_signed_in_at bigint;

create table invitations (
    id text primary key,
    tenant_id text not null references tenants(id) on delete cascade,
    email text not null,
    role text not null,
    token_hash text not null unique,
    invited_by text not null,
    created_at bigint not null,
    expires_at bigint not null,
    accepted_at bigint,
    revoked_at bigint
);
create index invitations_tenant on invitations (tenant_id, created_at);
