-- CRM contacts and the form submissions that created or updated them.

create table contacts (
    tenant_id text not null references tenants(id) on delete cascade,
    id text not null,
    email text not null,
    name text not null default '',
    phone text not null default '',
    company text not null default '',
    created_at bigint not null,
    updated_at bigint not null,
    primary key (tenant_id, id),
    unique (tenant_id, email)
);
create index contacts_recent on contacts (tenant_id, updated_at desc);

create table form_submissions (
    tenant_id text not null references tenants(id) on delete cascade,
    id text not null,
    contact_id text not null,
    page_slug text not null,
    fields text not null,
    created_at bigint not null,
    primary key (tenant_id, id)
);
create index form_submissions_contact on form_submissions (tenant_id, contact_id, created_at);
