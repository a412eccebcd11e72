//! Server functions of the CRM.

use leptos::prelude::*;

use super::Contact;
use crate::error::AppError;

/// How many contacts the list shows.
pub const CONTACTS_PAGE: i64 = 200;

#[server(prefix = "/api", endpoint = "crm/contacts")]
pub async fn list_contacts() -> Result<Vec<Contact>, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    Ok(super::store::contacts(&state.db, &member.tenant_id, CONTACTS_PAGE).await?)
}
