//! Each sign-in (one per session): the device and address it came from and when it was
//! last used, so a person can see where they are signed in and sign out one of them.

use crate::server::{new_id, now_ms, Db, StoreError};

/// A sign-in as the account page lists it.
pub use super::SignIn;

/// "Firefox on Windows", from a browser's User-Agent; plain words, not a fingerprint.
pub fn device_label(user_agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(mark, _)| user_agent.contains(mark))
    .map(|(_, name)| *name);
    let system = [
        ("iPhone", "iOS"),
        ("iPad", "iOS"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(mark, _)| user_agent.contains(mark))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(browser), None) => browser.to_string(),
        (None, Some(system)) => format!("A browser on {system}"),
        (None, None) => "An unknown device".to_string(),
    }
}

/// Records a new sign-in; returns its id.
pub async fn record(
    db: &Db,
    user_id: &str,
    device: &str,
    ip: Option<&str>,
) -> Result<String, StoreError> {
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "insert into sign_ins (id, user_id, device, ip, created_at, last_seen_at) \
         values ($1, $2, $3, $4, $5, $5)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(device)
    .bind(ip)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(id)
}

/// Whether the user has signed in from this kind of device before (and from anywhere at
/// all): a sign-in from a new one is worth an email.
pub async fn seen_device(db: &Db, user_id: &str, device: &str) -> Result<(bool, bool), StoreError> {
    let (any, same): (i64, i64) = sqlx::query_as(
        "select count(*), coalesce(sum(case when device = $2 then 1 else 0 end), 0) \
         from sign_ins where user_id = $1",
    )
    .bind(user_id)
    .bind(device)
    .fetch_one(&db.pool)
    .await?;
    Ok((any > 0, same > 0))
}

pub async fn touch(db: &Db, id: &str) -> Result<(), StoreError> {
    sqlx::query("update sign_ins set last_seen_at = $2 where id = $1")
        .bind(id)
        .bind(now_ms())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Ends one of the user's sign-ins; NotFound when it is not theirs or already ended.
pub async fn end(db: &Db, user_id: &str, id: &str) -> Result<(), StoreError> {
    let ended = sqlx::query(
        "update sign_ins set ended_at = $3 where id = $1 and user_id = $2 and ended_at is null",
    )
    .bind(id)
    .bind(user_id)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    if ended.rows_affected() == 0 {
        return Err(StoreError::NotFound("That session".into()));
    }
    Ok(())
}

/// The user's sessions that still stand, most recently used first.
pub async fn active(db: &Db, user_id: &str, current: &str) -> Result<Vec<SignIn>, StoreError> {
    let rows: Vec<(String, String, Option<String>, i64, i64)> = sqlx::query_as(
        "select s.id, s.device, s.ip, s.created_at, s.last_seen_at from sign_ins s \
         join users u on u.id = s.user_id where s.user_id = $1 and s.ended_at is null \
         and s.created_at >= u.sessions_valid_after order by s.last_seen_at desc, s.id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, device, ip, created_at, last_seen_at)| SignIn {
            current: id == current,
            id,
            device,
            ip,
            created_at,
            last_seen_at,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::device_label;

    #[test]
    fn devices_read_as_browser_and_system() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        assert_eq!(device_label(chrome), "Chrome on Linux");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(device_label(iphone), "Safari on iOS");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0";
        assert_eq!(device_label(edge), "Edge on Windows");
        assert_eq!(device_label(""), "An unknown device");
    }
}
