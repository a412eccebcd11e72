//! The sign-up transaction: the owner, the tenant and the membership, or nothing.

use super::links::{self, LinkProblem, Purpose};
use crate::server::{now_ms, Db, StoreError};
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
    let mut tx = db.begin().await?;
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
    let tenant = add_business(&mut tx, &user_id, account.business, account.address).await?;
    tx.commit().await?;
    Ok((user_id, tenant))
}

/// Another business for a person who has an account: the tenant and their ownership of
/// it, or nothing (a taken address is a conflict).
pub async fn create_business(
    db: &Db,
    user_id: &str,
    business: &str,
    address: &str,
) -> Result<crate::tenancy::Tenant, StoreError> {
    let mut tx = db.begin().await?;
    let tenant = add_business(&mut tx, user_id, business, address).await?;
    tx.commit().await?;
    Ok(tenant)
}

async fn add_business(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: &str,
    business: &str,
    address: &str,
) -> Result<crate::tenancy::Tenant, StoreError> {
    let theme = Theme {
        logo_text: business.trim().to_string(),
        ..Theme::default()
    };
    let tenant =
        crate::tenancy::store::create_tenant(&mut **tx, address, business.trim(), false, &theme)
            .await?;
    crate::auth::store::add_membership(&mut **tx, &tenant.id, user_id, Role::Owner).await?;
    Ok(tenant)
}

/// Spends a verification link: the address it was sent to is verified, if it is still
/// the account's (a link to an old address proves nothing).
pub async fn verify_address(db: &Db, token: &str) -> Result<Result<(), LinkProblem>, StoreError> {
    let mut tx = db.begin().await?;
    let (user_id, email) = match links::spend(&mut tx, Purpose::VerifyEmail, token).await? {
        Ok(found) => found,
        Err(problem) => return Ok(Err(problem)),
    };
    sqlx::query(
        "update users set email_verified_at = $3 where id = $1 and email = $2 \
         and email_verified_at is null",
    )
    .bind(&user_id)
    .bind(&email)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Spends an address-change link: the address it was sent to becomes the account's
/// (verified, since the link reached it). Returns (user id, the old address), or a
/// conflict when another account took the address meanwhile.
pub async fn change_address(
    db: &Db,
    token: &str,
) -> Result<Result<(String, String, String), LinkProblem>, StoreError> {
    let mut tx = db.begin().await?;
    let (user_id, email) = match links::spend(&mut tx, Purpose::ChangeEmail, token).await? {
        Ok(found) => found,
        Err(problem) => return Ok(Err(problem)),
    };
    let old: String = sqlx::query_scalar("select email from users where id = $1")
        .bind(&user_id)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("update users set email = $2, email_verified_at = $3 where id = $1")
        .bind(&user_id)
        .bind(&email)
        .bind(now_ms())
        .execute(&mut *tx)
        .await
        .map_err(|e| match StoreError::from(e) {
            err if err.is_unique_violation() => {
                StoreError::Conflict("Another account uses that address now.".into())
            }
            err => err,
        })?;
    tx.commit().await?;
    Ok(Ok((user_id, old, email)))
}

/// Spends a reset link: the password becomes `password_hash` and every session begun
/// before now ends. Returns the user.
pub async fn reset_password(
    db: &Db,
    token: &str,
    password_hash: &str,
) -> Result<Result<String, LinkProblem>, StoreError> {
    let mut tx = db.begin().await?;
    let (user_id, _) = match links::spend(&mut tx, Purpose::ResetPassword, token).await? {
        Ok(found) => found,
        Err(problem) => return Ok(Err(problem)),
    };
    sqlx::query("update users set password_hash = $2, sessions_valid_after = $3 where id = $1")
        .bind(&user_id)
        .bind(password_hash)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Ok(user_id))
}

/// The account behind an email address, for a reset request: (user id, name, a tenant
/// whose outbox keeps the email).
pub async fn account_for_reset(
    db: &Db,
    email: &str,
) -> Result<Option<(String, String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "select u.id, u.name, m.tenant_id from users u join memberships m on m.user_id = u.id \
         where u.email = $1 order by m.created_at, m.tenant_id limit 1",
    )
    .bind(email.trim().to_lowercase())
    .fetch_optional(&db.pool)
    .await?)
}

pub async fn set_name(db: &Db, user_id: &str, name: &str) -> Result<(), StoreError> {
    sqlx::query("update users set name = $2 where id = $1")
        .bind(user_id)
        .bind(name)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Sets a new password and ends every session begun before now.
pub async fn set_password(db: &Db, user_id: &str, password_hash: &str) -> Result<(), StoreError> {
    sqlx::query("update users set password_hash = $2, sessions_valid_after = $3 where id = $1")
        .bind(user_id)
        .bind(password_hash)
        .bind(now_ms())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Ends every session of the user begun before now.
pub async fn end_sessions(db: &Db, user_id: &str) -> Result<(), StoreError> {
    sqlx::query("update users set sessions_valid_after = $2 where id = $1")
        .bind(user_id)
        .bind(now_ms())
        .execute(&db.pool)
        .await?;
    Ok(())
}
