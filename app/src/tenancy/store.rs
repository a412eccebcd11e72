//! SQL for tenants and their themes.

use std::sync::LazyLock;

use super::{SiteSettings, Tenant, Theme};
use crate::server::db::{stored_json, stored_json_text};
use crate::server::{new_id, now_ms, Db, StoreError};

/// A tenant's row as stored (`COLUMNS`, in order), before its JSON is read.
type TenantColumns = (String, String, String, i64, String, String, Option<String>);

fn tenant_from_columns(
    (id, slug, name, is_platform, theme, settings, custom_domain): TenantColumns,
) -> Result<Tenant, StoreError> {
    Ok(Tenant {
        id,
        slug,
        name,
        is_platform: is_platform != 0,
        theme: stored_theme(&theme).map_err(|e| StoreError::Corrupt(format!("theme: {e}")))?,
        settings: stored_json_text(&settings)
            .map_err(|e| StoreError::Corrupt(format!("site settings: {e}")))?,
        custom_domain,
    })
}

/// A stored theme, as old as it may be.
pub fn stored_theme(text: &str) -> Result<Theme, serde_json::Error> {
    // As this version writes it: read straight (an older one lacks a required field).
    if let Ok(theme) = serde_json::from_str(text) {
        return Ok(theme);
    }
    let mut value: serde_json::Value = serde_json::from_str(text)?;
    // Themes stored before body and heading fonts were told apart called it `font`.
    if let Some(fields) = value.as_object_mut() {
        if let Some(font) = fields.remove("font") {
            fields.entry("body_font").or_insert(font);
        }
    }
    stored_json(value)
}

/// With the first verified custom domain, as its canonical host.
const COLUMNS: &str = "id, slug, name, is_platform, theme, site_settings, \
    (select case when d.prefer_www = 1 then 'www.' || d.host else d.host end from domains d \
     where d.tenant_id = tenants.id and d.verified_at is not null \
     order by d.verified_at limit 1) as custom_domain";

/// The tenant at a subdomain. Read for every site request whose tenant is not cached.
pub async fn tenant_by_slug(db: &Db, slug: &str) -> Result<Option<Tenant>, StoreError> {
    static SQL: LazyLock<String> =
        LazyLock::new(|| format!("select {COLUMNS} from tenants where slug = $1"));
    let row: Option<TenantColumns> = db.site_row(&SQL, &[slug]).await?;
    row.map(tenant_from_columns).transpose()
}

pub async fn tenant_by_id(db: &Db, id: &str) -> Result<Option<Tenant>, StoreError> {
    let row: Option<TenantColumns> =
        sqlx::query_as(&format!("select {COLUMNS} from tenants where id = $1"))
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    row.map(tenant_from_columns).transpose()
}

pub async fn platform_tenant(db: &Db) -> Result<Option<Tenant>, StoreError> {
    let row: Option<TenantColumns> = sqlx::query_as(&format!(
        "select {COLUMNS} from tenants where is_platform = 1 order by created_at limit 1"
    ))
    .fetch_optional(&db.pool)
    .await?;
    row.map(tenant_from_columns).transpose()
}

/// Creates a tenant, on the pool or inside the caller's transaction (sign-up).
pub async fn create_tenant<'c>(
    conn: impl sqlx::Executor<'c, Database = sqlx::Any>,
    slug: &str,
    name: &str,
    is_platform: bool,
    theme: &Theme,
) -> Result<Tenant, StoreError> {
    let id = new_id();
    let theme_json =
        serde_json::to_string(theme).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query(
        "insert into tenants (id, slug, name, is_platform, theme, created_at) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(slug)
    .bind(name)
    .bind(is_platform as i64)
    .bind(&theme_json)
    .bind(now_ms())
    .execute(conn)
    .await
    .map_err(|e| match StoreError::from(e) {
        err if err.is_unique_violation() => {
            StoreError::Conflict(format!("The site address {slug:?} is already taken."))
        }
        err => err,
    })?;
    Ok(Tenant {
        id,
        slug: slug.to_string(),
        name: name.to_string(),
        is_platform,
        theme: theme.clone(),
        settings: SiteSettings::default(),
        custom_domain: None,
    })
}

pub async fn count_tenants(db: &Db) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("select count(*) from tenants")
        .fetch_one(&db.pool)
        .await?)
}

/// Replaces a tenant's theme; the site shows it on the next request.
pub async fn update_theme(db: &Db, tenant_id: &str, theme: &Theme) -> Result<(), StoreError> {
    update_json_column(db, tenant_id, "theme", theme).await
}

/// Replaces a tenant's navigation and footer; the site shows them on the next request.
pub async fn update_site_settings(
    db: &Db,
    tenant_id: &str,
    settings: &SiteSettings,
) -> Result<(), StoreError> {
    update_json_column(db, tenant_id, "site_settings", settings).await
}

/// `column` is one of our own constants, never input.
async fn update_json_column(
    db: &Db,
    tenant_id: &str,
    column: &'static str,
    value: &impl serde::Serialize,
) -> Result<(), StoreError> {
    let json = serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let done = sqlx::query(&format!("update tenants set {column} = $2 where id = $1"))
        .bind(tenant_id)
        .bind(json)
        .execute(&db.pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("The tenant".into()));
    }
    crate::signals::publish(db, crate::signals::Signal::site(tenant_id)).await;
    Ok(())
}
