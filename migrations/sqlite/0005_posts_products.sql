-- Blog posts and products (same life as pages: a draft, and the published copy), the
-- tags that list them, and the redirects left behind when a published slug changes.

alter table pages add column first_published_at bigint;
update pages set first_published_at = published_at;

create table posts (
    tenant_id text not null references tenants(id) on delete cascade,
    id text not null,
    slug text not null,
    draft text not null,
    published text,
    created_at bigint not null,
    updated_at bigint not null,
    published_at bigint,
    first_published_at bigint,
    primary key (tenant_id, id),
    unique (tenant_id, slug)
);
create index posts_newest on posts (tenant_id, first_published_at desc);

create table products (
    tenant_id text not null references tenants(id) on delete cascade,
    id text not null,
    slug text not null,
    draft text not null,
    published text,
    created_at bigint not null,
    updated_at bigint not null,
    published_at bigint,
    first_published_at bigint,
    primary key (tenant_id, id),
    unique (tenant_id, slug)
);
create index products_newest on products (tenant_id, first_published_at desc);

-- Tags of published documents, by address ("rust-tips"); collection is the table name.
create table tags (
    tenant_id text not null references tenants(id) on delete cascade,
    collection text not null,
    document_id text not null,
    tag text not null,
    primary key (tenant_id, collection, tag, document_id)
);
create index tags_of_document on tags (tenant_id, collection, document_id);

create table redirects (
    tenant_id text not null references tenants(id) on delete cascade,
    from_path text not null,
    to_path text not null,
    created_at bigint not null,
    primary key (tenant_id, from_path)
);
create index redirects_to on redirects (tenant_id, to_path);
