-- Each sign-in (one per session): the device and address it came from, when it was last
-- used, and when it was signed out from the account page.
create table sign_ins (
    id text primary key,
    user_id text not null references users(id) on delete cascade,
    device text not null,
    ip text,
    created_at bigint not null,
    last_seen_at bigint not null,
    ended_at bigint
);
create index sign_ins_user on sign_ins (user_id, last_seen_at);
