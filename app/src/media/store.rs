//! SQL for the media library. Every query names the tenant.

use super::{MediaFile, Usage};
use crate::cms::Collection;
use crate::server::{Db, StoreError};
use crate::signals::{publish, Signal};

const COLUMNS: &str = "id, filename, content_type, bytes, width, height, alt, variants, created_at";

/// A file's row as stored (`COLUMNS`, in order), before its JSON is read.
type FileColumns = (String, String, String, i64, i64, i64, String, String, i64);

fn from_columns(
    (id, filename, content_type, bytes, width, height, alt, variants, created_at): FileColumns,
) -> Result<MediaFile, StoreError> {
    Ok(MediaFile {
        id,
        filename,
        content_type,
        bytes,
        width,
        height,
        alt,
        variants: serde_json::from_str(&variants)
            .map_err(|e| StoreError::Corrupt(format!("media variants: {e}")))?,
        created_at,
    })
}

fn not_found() -> StoreError {
    StoreError::NotFound("The file".into())
}

pub async fn insert(db: &Db, tenant_id: &str, file: &MediaFile) -> Result<(), StoreError> {
    sqlx::query(
        "insert into media (tenant_id, id, filename, content_type, bytes, width, height, alt, \
         variants, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, '[]', $9)",
    )
    .bind(tenant_id)
    .bind(&file.id)
    .bind(&file.filename)
    .bind(&file.content_type)
    .bind(file.bytes)
    .bind(file.width)
    .bind(file.height)
    .bind(&file.alt)
    .bind(file.created_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn files_of(db: &Db, tenant_id: &str) -> Result<Vec<MediaFile>, StoreError> {
    let rows: Vec<FileColumns> = sqlx::query_as(&format!(
        "select {COLUMNS} from media where tenant_id = $1 order by created_at desc, id"
    ))
    .bind(tenant_id)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter().map(from_columns).collect()
}

pub async fn file(db: &Db, tenant_id: &str, id: &str) -> Result<MediaFile, StoreError> {
    let row: FileColumns = sqlx::query_as(&format!(
        "select {COLUMNS} from media where tenant_id = $1 and id = $2"
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(not_found)?;
    from_columns(row)
}

/// The tenant's files among `ids` (unknown ids are left out).
pub async fn files(db: &Db, tenant_id: &str, ids: &[&str]) -> Result<Vec<MediaFile>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select {COLUMNS} from media where tenant_id = $1 and id in ({})",
        crate::server::db::placeholders(2, ids.len())
    );
    // Read for a site's cache misses (image sizes for `srcset`).
    let values: Vec<&str> = std::iter::once(tenant_id)
        .chain(ids.iter().copied())
        .collect();
    let rows: Vec<FileColumns> = db.site_rows(&sql, &values).await?;
    rows.into_iter().map(from_columns).collect()
}

async fn set(
    db: &Db,
    tenant_id: &str,
    id: &str,
    column: &str,
    value: &str,
) -> Result<(), StoreError> {
    let done = sqlx::query(&format!(
        "update media set {column} = $3 where tenant_id = $1 and id = $2"
    ))
    .bind(tenant_id)
    .bind(id)
    .bind(value)
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(not_found());
    }
    Ok(())
}

pub async fn set_alt(db: &Db, tenant_id: &str, id: &str, alt: &str) -> Result<(), StoreError> {
    set(db, tenant_id, id, "alt", alt).await
}

pub async fn set_variants(
    db: &Db,
    tenant_id: &str,
    id: &str,
    widths: &[u32],
) -> Result<(), StoreError> {
    let json = serde_json::to_string(widths).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    set(db, tenant_id, id, "variants", &json).await?;
    // Pages drawn before the sizes existed have no srcset.
    publish(db, Signal::site(tenant_id)).await;
    Ok(())
}

pub async fn delete(db: &Db, tenant_id: &str, id: &str) -> Result<(), StoreError> {
    let done = sqlx::query("delete from media where tenant_id = $1 and id = $2")
        .bind(tenant_id)
        .bind(id)
        .execute(&db.pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(not_found());
    }
    publish(db, Signal::site(tenant_id)).await;
    Ok(())
}

/// The documents (drafts or published) of this tenant that link to the file.
pub async fn usage(db: &Db, tenant_id: &str, id: &str) -> Result<Vec<Usage>, StoreError> {
    use crate::cms::Content;
    let needle = format!("%/media/{id}/%");
    let mut found = Vec::new();
    for collection in Collection::ALL {
        let rows: Vec<(String, String)> = sqlx::query_as(&format!(
            "select slug, draft from {} where tenant_id = $1 \
             and (draft like $2 or published like $2) order by slug",
            collection.table()
        ))
        .bind(tenant_id)
        .bind(&needle)
        .fetch_all(&db.pool)
        .await?;
        for (slug, draft) in rows {
            let (title, path) = crate::cms::with_content!(collection, |C| {
                let title = C::from_stored(&draft)
                    .map(|c| c.title().to_string())
                    .unwrap_or_default();
                (title, C::path(&slug))
            });
            found.push(Usage {
                collection,
                title,
                path,
            });
        }
    }
    Ok(found)
}
