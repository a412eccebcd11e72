-- Private analytics: counts only. Visitors are a hash with a salt that changes every
-- day and is then deleted, so no visitor can be recognised across days (or at all).

create table analytics_salts (
    day bigint primary key,
    salt text not null
);

create table page_views (
    tenant_id text not null references tenants(id) on delete cascade,
    day bigint not null,
    path text not null,
    referrer text not null,
    views bigint not null default 0,
    primary key (tenant_id, day, path, referrer)
);

create table daily_visitors (
    tenant_id text not null references tenants(id) on delete cascade,
    day bigint not null,
    visitor text not null,
    primary key (tenant_id, day, visitor)
);
