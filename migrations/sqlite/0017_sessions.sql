-- A password reset ends every session begun before it.
alter table users add column sessions_valid_after bigint not null default 0;
