-- Every transactional email goes through the outbox, with an HTML part beside the text.
-- Only the digest is listed to the tenant's admins: other mail carries one person's links.
alter table outbox add column html text;
alter table outbox add column kind text not null default 'digest';

-- Email addresses are verified by a link; people who were here before are trusted.
alter table users add column email_verified_at bigint;
update users set email_verified_at = created_at;

-- Single-use links sent by email (verification now; reset and invites later), stored hashed.
create table email_tokens (
    token_hash text primary key,
    user_id text not null references users(id) on delete cascade,
    purpose text not null,
    email text not null,
    expires_at bigint not null,
    used_at bigint,
    created_at bigint not null
);
create index email_tokens_user on email_tokens (user_id, purpose);
