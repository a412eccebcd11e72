-- Failed attempts (sign-ins now; two-factor codes and reset requests later) per account
-- and per IP, shared by every process: after a few, each further failure makes the key
-- wait longer before it is tried again.
create table throttles (
    key text primary key,
    failures bigint not null,
    blocked_until bigint not null,
    updated_at bigint not null
);
