//! The sign-up transaction: the owner, the tenant and the membership, or nothing.

use crate::server::{Db, StoreError};
use crate::tenancy::{Role, Theme};

/// A business's new account: the owner's details and the tenant.
pub struct NewAccount<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub business: &'a str,
    pub address: &'a str,
}

/// Whether a tenant already has this address.
pub async fn address_taken(db: &Db, address: &str) -> Result<bool, StoreError> {
    Ok(crate::tenancy::store::tenant_by_slug(db, address)
        .await?
        .is_some())
}

/// Creates the user, the tenant and the owner's membership in one transaction; returns
/// (user id, tenant). A taken email or address is a conflict that says which, and
/// leaves nothing behind.
pub async fn create_account(
    db: &Db,
    account: &NewAccount<'_>,
) -> Result<(String, crate::tenancy::Tenant), StoreError> {
    let mut tx = db.pool.begin().await?;
    let user_id = crate::auth::store::create_user(
        &mut *tx,
        account.email,
        account.name.trim(),
        account.password_hash,
    )
    .await
    .map_err(|err| match err {
        StoreError::Conflict(_) => StoreError::Conflict(
            "An account with this email already exists. Sign in instead, or use another email."
                .into(),
        ),
        err => err,
    })?;
    let theme = Theme {
        logo_text: account.business.trim().to_string(),
        ..Theme::default()
    };
    let tenant = crate::tenancy::store::create_tenant(
        &mut *tx,
        account.address,
        account.business.trim(),
        false,
        &theme,
    )
    .await?;
    crate::auth::store::add_membership(&mut *tx, &tenant.id, &user_id, Role::Owner).await?;
    tx.commit().await?;
    Ok((user_id, tenant))
}
