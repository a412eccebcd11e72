//! The CRM: contacts, created or updated by the lead forms on a tenant's site.

pub mod api;
#[cfg(feature = "ssr")]
pub mod http;
mod lead;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

pub use lead::{is_email, parse_lead};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Contact {
    pub id: String,
    pub email: String,
    pub name: String,
    pub phone: String,
    pub company: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// Newest first.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub submissions: Vec<Submission>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub id: String,
    /// The page the form was on ("" is the home page).
    pub page_slug: String,
    /// Field label and value, in the order of the form.
    pub fields: Vec<(String, String)>,
    pub created_at: i64,
}

/// What a visitor sent through a contact form, after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    pub email: String,
    pub name: String,
    pub phone: String,
    pub company: String,
    pub fields: Vec<(String, String)>,
}
