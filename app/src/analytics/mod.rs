//! Private analytics of a tenant's site: page views and unique visitors per day, top
//! pages and referrers. No cookies, no personal data stored.

pub mod api;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

use serde::{Deserialize, Serialize};

pub const DAY_MS: i64 = 86_400_000;
/// Days the dashboard chart shows.
pub const CHART_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayStats {
    /// Days since 1970-01-01 (UTC).
    pub day: i64,
    pub views: i64,
    pub visitors: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteAnalytics {
    /// Oldest first, one entry per day, days without visits included.
    pub days: Vec<DayStats>,
    pub top_pages: Vec<(String, i64)>,
    /// Referring sites by host; visits without one are not listed.
    pub top_referrers: Vec<(String, i64)>,
}

impl SiteAnalytics {
    pub fn total_views(&self) -> i64 {
        self.days.iter().map(|d| d.views).sum()
    }
}

/// The host of a referring page, when it is another site than `own_host`.
pub fn referrer_host(referer: Option<&str>, own_host: &str) -> String {
    let Some(referer) = referer else {
        return String::new();
    };
    let rest = referer
        .strip_prefix("https://")
        .or_else(|| referer.strip_prefix("http://"))
        .unwrap_or("");
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let host = host
        .rsplit_once('@')
        .map(|(_, h)| h.to_string())
        .unwrap_or(host);
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    let own = own_host.to_ascii_lowercase();
    let own = own.strip_prefix("www.").unwrap_or(&own);
    if host.is_empty() || host == own || host.len() > 253 {
        String::new()
    } else {
        host
    }
}

#[cfg(test)]
mod tests {
    use super::referrer_host;

    #[test]
    fn referrers_are_reduced_to_other_sites_hosts() {
        assert_eq!(
            referrer_host(
                Some("https://www.google.com/search?q=anvils"),
                "acme.localhost:3000"
            ),
            "google.com"
        );
        assert_eq!(
            referrer_host(
                Some("http://acme.localhost:3000/about"),
                "acme.localhost:3000"
            ),
            ""
        );
        assert_eq!(referrer_host(Some("android-app://x"), "a"), "");
        assert_eq!(referrer_host(None, "a"), "");
        assert_eq!(
            referrer_host(Some("https://user:pw@news.example/x"), "a"),
            "news.example"
        );
    }
}
