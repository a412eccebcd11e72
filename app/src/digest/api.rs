//! Server functions of the digest: owners and admins read the outbox.

use leptos::prelude::*;

use super::OutboxMessage;
use crate::error::AppError;

/// The newest messages, and whether a mail server sends them.
#[server(prefix = "/api", endpoint = "digest/outbox")]
pub async fn load_outbox() -> Result<(bool, Vec<OutboxMessage>), AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Admin).await?;
    Ok((
        state.mail.is_some(),
        super::store::outbox(&state.db, &member.tenant_id).await?,
    ))
}
