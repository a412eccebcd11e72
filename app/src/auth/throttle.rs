//! Growing delays after failed attempts (sign-ins, two-factor codes) and after too many
//! emails asked for (reset requests, verification links, invitations), per account and per IP, kept in
//! the database so every process sees the same counts. A few failures cost nothing;
//! then the wait is 5 s, doubling with each failure up to a quarter of an hour.

use std::net::IpAddr;

use crate::server::{now_ms, Db, StoreError};

/// What is being tried, by whom: the account (its email as typed) or the client's IP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    key: String,
    /// Failures that cost nothing (a typo, a forgotten caps lock).
    free: i64,
}

impl Attempt {
    pub fn sign_in_as(email: &str) -> Attempt {
        Attempt {
            key: format!("sign-in:account:{}", email.trim().to_lowercase()),
            free: 5,
        }
    }

    /// More are free per IP than per account: an office shares one.
    pub fn sign_in_from(ip: IpAddr) -> Attempt {
        Attempt {
            key: format!("sign-in:ip:{ip}"),
            free: 20,
        }
    }

    /// Password reset requests for an address: each sends an email.
    pub fn reset_for(email: &str) -> Attempt {
        Attempt {
            key: format!("reset:account:{}", email.trim().to_lowercase()),
            free: 3,
        }
    }

    /// Two-factor codes for an account: six digits fall to guessing without a limit.
    pub fn code_for(user_id: &str) -> Attempt {
        Attempt {
            key: format!("code:account:{user_id}"),
            free: 5,
        }
    }

    pub fn code_from(ip: IpAddr) -> Attempt {
        Attempt {
            key: format!("code:ip:{ip}"),
            free: 20,
        }
    }

    pub fn reset_from(ip: IpAddr) -> Attempt {
        Attempt {
            key: format!("reset:ip:{ip}"),
            free: 10,
        }
    }

    /// Emails a member has sent on demand (verification links, invitations): each lands
    /// in somebody's inbox, so a member cannot turn the platform into a mail cannon. Ten
    /// go at once (the tenth starts the wait), then one each time the wait is over.
    pub fn mail_from(user_id: &str) -> Attempt {
        Attempt {
            key: format!("mail:account:{user_id}"),
            free: 9,
        }
    }
}

/// Counts restart after an hour without failures.
const FORGET_AFTER_MS: i64 = 3600 * 1000;
const LONGEST_WAIT_MS: i64 = 15 * 60 * 1000;

/// How long a key waits after `failures` failures.
fn wait_after(failures: i64, free: i64) -> i64 {
    if failures <= free {
        return 0;
    }
    let doublings = (failures - free - 1).min(20) as u32;
    (5000_i64 << doublings).min(LONGEST_WAIT_MS)
}

/// Seconds until the first of `attempts` may be tried again; None when all may now.
pub async fn wait(db: &Db, attempts: &[Attempt]) -> Result<Option<u64>, StoreError> {
    let now = now_ms();
    let mut longest = 0;
    for attempt in attempts {
        let until: Option<i64> =
            sqlx::query_scalar("select blocked_until from throttles where key = $1")
                .bind(&attempt.key)
                .fetch_optional(&db.pool)
                .await?;
        longest = longest.max(until.unwrap_or(0) - now);
    }
    Ok((longest > 0).then(|| (longest as u64).div_ceil(1000)))
}

/// Records a failure of each attempt; the count and the wait grow in one statement, so
/// two processes failing at once both count.
pub async fn failed(db: &Db, attempts: &[Attempt]) -> Result<(), StoreError> {
    let now = now_ms();
    for attempt in attempts {
        let failures: i64 = sqlx::query_scalar(
            "insert into throttles (key, failures, blocked_until, updated_at) values ($1, 1, 0, $2) \
             on conflict (key) do update set \
               failures = case when throttles.updated_at < $3 then 1 else throttles.failures + 1 end, \
               updated_at = $2 \
             returning failures",
        )
        .bind(&attempt.key)
        .bind(now)
        .bind(now - FORGET_AFTER_MS)
        .fetch_one(&db.pool)
        .await?;
        let wait = wait_after(failures, attempt.free);
        if wait > 0 {
            sqlx::query("update throttles set blocked_until = $2 where key = $1")
                .bind(&attempt.key)
                .bind(now + wait)
                .execute(&db.pool)
                .await?;
        }
    }
    Ok(())
}

/// For attempts where every try counts, such as one that sends an email: the seconds to
/// wait when there were too many, else the try is counted and None.
pub async fn take(db: &Db, attempts: &[Attempt]) -> Result<Option<u64>, StoreError> {
    if let Some(wait) = wait(db, attempts).await? {
        return Ok(Some(wait));
    }
    failed(db, attempts).await?;
    Ok(None)
}

/// Counts an email a member asked for (a verification link, an invitation); past their
/// allowance the answer is the wait.
pub async fn take_mail(db: &Db, user_id: &str) -> Result<(), crate::error::AppError> {
    match take(db, &[Attempt::mail_from(user_id)]).await? {
        Some(retry_after_s) => Err(crate::error::AppError::RateLimited { retry_after_s }),
        None => Ok(()),
    }
}

/// Forgets the failures of an attempt that succeeded.
pub async fn succeeded(db: &Db, attempt: &Attempt) -> Result<(), StoreError> {
    sqlx::query("delete from throttles where key = $1")
        .bind(&attempt.key)
        .execute(&db.pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::wait_after;

    #[test]
    fn waits_start_after_the_free_failures_and_double_up_to_a_quarter_hour() {
        assert_eq!(wait_after(5, 5), 0);
        assert_eq!(wait_after(6, 5), 5_000);
        assert_eq!(wait_after(7, 5), 10_000);
        assert_eq!(wait_after(10, 5), 80_000);
        assert_eq!(wait_after(30, 5), 15 * 60 * 1000);
        assert_eq!(wait_after(i64::MAX, 5), 15 * 60 * 1000);
    }
}
