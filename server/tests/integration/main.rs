//! Integration tests: each module starts the real server (on SQLite and on PostgreSQL)
//! and talks HTTP to it. One test binary, so the suite links once.

#[macro_use]
mod common;

mod account;
mod activity;
mod agent_api;
mod analytics;
mod approvals;
mod assets;
mod auth;
mod blocks;
mod businesses;
mod cms;
mod connections;
mod digest;
mod domains;
mod editing;
mod history;
mod isolation;
mod leads;
mod media;
mod onboarding;
mod password_reset;
mod posts;
mod products;
mod queue;
mod refusals;
mod seo;
mod signup;
mod site_settings;
mod site_structure;
mod sites;
mod team;
mod theme;
mod two_factor;
mod versions;
