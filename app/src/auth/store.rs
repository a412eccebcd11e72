//! SQL for users and memberships.

use super::Member;
use crate::server::{new_id, now_ms, Db, StoreError};
use crate::tenancy::{Business, Role};

#[derive(sqlx::FromRow)]
pub struct UserCredentials {
    pub id: String,
    pub password_hash: String,
}

pub async fn credentials_by_email(
    db: &Db,
    email: &str,
) -> Result<Option<UserCredentials>, StoreError> {
    Ok(
        sqlx::query_as("select id, password_hash from users where email = $1")
            .bind(email.trim().to_lowercase())
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// Creates a user, on the pool or inside the caller's transaction (sign-up).
pub async fn create_user<'c>(
    conn: impl sqlx::Executor<'c, Database = sqlx::Any>,
    email: &str,
    name: &str,
    password_hash: &str,
) -> Result<String, StoreError> {
    let id = new_id();
    sqlx::query("insert into users (id, email, name, password_hash, created_at) values ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(email.trim().to_lowercase())
        .bind(name)
        .bind(password_hash)
        .bind(now_ms())
        .execute(conn)
        .await
        .map_err(|e| match StoreError::from(e) {
            err if err.is_unique_violation() => {
                StoreError::Conflict("An account with this email already exists.".into())
            }
            err => err,
        })?;
    Ok(id)
}

pub async fn add_membership<'c>(
    conn: impl sqlx::Executor<'c, Database = sqlx::Any>,
    tenant_id: &str,
    user_id: &str,
    role: Role,
) -> Result<(), StoreError> {
    sqlx::query(
        "insert into memberships (tenant_id, user_id, role, created_at) values ($1, $2, $3, $4)",
    )
    .bind(tenant_id)
    .bind(user_id)
    .bind(role.as_str())
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// The tenant a user lands in after signing in, (id, slug): their oldest membership.
pub async fn first_tenant_of(
    db: &Db,
    user_id: &str,
) -> Result<Option<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "select t.id, t.slug from memberships m join tenants t on t.id = m.tenant_id \
         where m.user_id = $1 order by m.created_at, m.tenant_id limit 1",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?)
}

/// Every business the user is a member of, by name.
pub async fn businesses_of(db: &Db, user_id: &str) -> Result<Vec<Business>, StoreError> {
    Ok(sqlx::query_as(
        "select t.slug, t.name, m.role from memberships m join tenants t on t.id = m.tenant_id \
         where m.user_id = $1 order by lower(t.name), t.slug",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?)
}

/// Notes when the user signed in (the team page shows it).
pub async fn record_sign_in(db: &Db, user_id: &str) -> Result<(), StoreError> {
    sqlx::query("update users set last_signed_in_at = $2 where id = $1")
        .bind(user_id)
        .bind(now_ms())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// What a session says of who signed it in: the user, when, and the sign-in's id (empty
/// for sessions older than sign-in records).
pub struct SessionIds {
    pub user_id: String,
    pub signed_in_at: i64,
    pub sign_in: String,
}

/// The condition a session must meet (`u` the user, `$2` its id, `$3` its sign-in time,
/// `$4` its sign-in): not begun before the account's sessions were ended, and not signed
/// out on its own from the account page.
const SESSION_STANDS: &str = "u.id = $2 and u.sessions_valid_after <= $3 and not exists \
     (select 1 from sign_ins s where s.id = $4 and s.ended_at is not null)";

const MEMBER_COLUMNS: &str = "select u.id as user_id, u.email, u.name, t.id as tenant_id, \
     t.slug as tenant_slug, t.name as tenant_name, m.role, u.email_verified_at, \
     t.require_two_factor, (select f.confirmed_at from two_factor f \
       where f.user_id = u.id and f.confirmed_at is not null) as two_factor_since \
     from memberships m join users u on u.id = m.user_id join tenants t on t.id = m.tenant_id";

/// A member as read for a request, with what the business's two-factor rule needs.
#[derive(sqlx::FromRow)]
pub struct MemberRow {
    #[sqlx(flatten)]
    pub member: Member,
    require_two_factor: i64,
    two_factor_since: Option<i64>,
}

impl MemberRow {
    /// The business requires two-factor sign-in and this member has not set it up.
    pub fn must_set_up_two_factor(&self) -> bool {
        self.require_two_factor != 0 && self.two_factor_since.is_none()
    }
}

/// The user as a member of `tenant_id`, or None when they are not (or no longer) one, or
/// when the session no longer stands.
pub async fn member(
    db: &Db,
    tenant_id: &str,
    session: &SessionIds,
) -> Result<Option<MemberRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{MEMBER_COLUMNS} where m.tenant_id = $1 and {SESSION_STANDS}"
    ))
    .bind(tenant_id)
    .bind(&session.user_id)
    .bind(session.signed_in_at)
    .bind(&session.sign_in)
    .fetch_optional(&db.pool)
    .await?)
}

/// The user as a member of the business whose site address is `slug`; None as in
/// `member`.
pub async fn member_in(
    db: &Db,
    slug: &str,
    session: &SessionIds,
) -> Result<Option<MemberRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{MEMBER_COLUMNS} where t.slug = $1 and {SESSION_STANDS}"
    ))
    .bind(slug)
    .bind(&session.user_id)
    .bind(session.signed_in_at)
    .bind(&session.sign_in)
    .fetch_optional(&db.pool)
    .await?)
}

/// Whether the session still stands (a password reset or "sign out everywhere else"
/// ends the ones begun before it; the account page can end one).
pub async fn session_is_current(db: &Db, session: &SessionIds) -> Result<bool, StoreError> {
    Ok(current_user(db, session).await?.is_some())
}

/// (id, email, name) of the user, if the session still stands.
pub async fn current_user(
    db: &Db,
    session: &SessionIds,
) -> Result<Option<(String, String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "select u.id, u.email, u.name from users u where u.id = $1 \
         and u.sessions_valid_after <= $2 and not exists \
         (select 1 from sign_ins s where s.id = $3 and s.ended_at is not null)",
    )
    .bind(&session.user_id)
    .bind(session.signed_in_at)
    .bind(&session.sign_in)
    .fetch_optional(&db.pool)
    .await?)
}

/// Marks the user's email address as theirs: by the link sent to it, or for people an
/// operator created (the demo owners, `create-user`).
pub async fn mark_verified<'c>(
    conn: impl sqlx::Executor<'c, Database = sqlx::Any>,
    user_id: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "update users set email_verified_at = $2 where id = $1 and email_verified_at is null",
    )
    .bind(user_id)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}
