-- Two-factor sign-in: each person's authenticator secret, sealed with the server's key
-- (server::secrets), counted only once confirmed with a code from the app. last_step is
-- the newest 30-second step a code was accepted for, so each code works once.
create table two_factor (
    user_id text primary key references users(id) on delete cascade,
    secret_sealed text not null,
    confirmed_at bigint,
    last_step bigint not null default 0,
    created_at bigint not null
);

-- Recovery codes: shown once, kept as SHA-256, each used once.
create table recovery_codes (
    user_id text not null references users(id) on delete cascade,
    code_hash text not null,
    used_at bigint,
    primary key (user_id, code_hash)
);

-- An owner can require every member of the business to sign in with two-factor.
alter table tenants add column require_two_factor integer not null default 0;
