//! Rendered tenant pages kept in memory with their gzip and brotli bodies, so a published
//! page is rendered and compressed once, not per request. A publish, theme or settings
//! change drops the tenant's pages and cached tenant (in every process, through
//! PostgreSQL NOTIFY).

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, RwLock};

use axum::body::Bytes;

use crate::tenancy::Tenant;

/// Pages kept at most; past it the cache starts over (simple, and bounded).
const MAX_PAGES: usize = 10_000;

pub struct CachedPage {
    pub html: Bytes,
    pub gzip: Bytes,
    pub brotli: Bytes,
    /// A strong validator of the HTML.
    pub etag: String,
}

impl CachedPage {
    pub fn new(html: String) -> CachedPage {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(html.as_bytes());
        let etag = format!(
            "\"{}\"",
            digest[..12]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        // Middle levels: a first render must stay fast (brotli 11 takes ~20 ms here).
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = gzip.write_all(html.as_bytes());
        let gzip = gzip.finish().unwrap_or_default();
        let mut brotli = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut brotli, 4096, 6, 22);
            let _ = writer.write_all(html.as_bytes());
        }
        CachedPage {
            html: Bytes::from(html),
            gzip: Bytes::from(gzip),
            brotli: Bytes::from(brotli),
            etag,
        }
    }
}

#[derive(Default)]
struct Pages {
    /// Tenants by host slug, so a cached page needs no database at all.
    tenants: HashMap<String, Tenant>,
    /// Bumped on every change to any tenant (guards `tenants` the way `generation`
    /// guards pages, before the tenant id is known).
    changes: u64,
    by_key: HashMap<(String, String), Arc<CachedPage>>,
    /// Bumped on every change to a tenant's site, so a render that started before the
    /// change is never stored after it.
    generation: HashMap<String, u64>,
}

#[derive(Default)]
pub struct SiteCache {
    pages: RwLock<Pages>,
}

impl SiteCache {
    pub fn get(&self, tenant_id: &str, path: &str) -> Option<Arc<CachedPage>> {
        let pages = self.pages.read().unwrap_or_else(|e| e.into_inner());
        pages
            .by_key
            .get(&(tenant_id.to_string(), path.to_string()))
            .cloned()
    }

    /// Call before reading what will be rendered; pass the result to `insert`.
    pub fn generation(&self, tenant_id: &str) -> u64 {
        let pages = self.pages.read().unwrap_or_else(|e| e.into_inner());
        pages.generation.get(tenant_id).copied().unwrap_or(0)
    }

    /// Keeps a rendered page, unless the tenant's site changed since `generation`.
    pub fn insert(
        &self,
        tenant_id: &str,
        path: &str,
        generation: u64,
        page: CachedPage,
    ) -> Arc<CachedPage> {
        let page = Arc::new(page);
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        if pages.generation.get(tenant_id).copied().unwrap_or(0) == generation {
            if pages.by_key.len() >= MAX_PAGES {
                pages.by_key.clear();
            }
            pages
                .by_key
                .insert((tenant_id.to_string(), path.to_string()), page.clone());
        }
        page
    }

    pub fn tenant(&self, slug: &str) -> Option<Tenant> {
        let pages = self.pages.read().unwrap_or_else(|e| e.into_inner());
        pages.tenants.get(slug).cloned()
    }

    /// Call before reading a tenant from the database; pass the result to `insert_tenant`.
    pub fn changes(&self) -> u64 {
        self.pages.read().unwrap_or_else(|e| e.into_inner()).changes
    }

    /// Keeps a tenant read from the database, unless any tenant changed since `changes`.
    pub fn insert_tenant(&self, changes: u64, tenant: Tenant) {
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        if pages.changes == changes {
            if pages.tenants.len() >= MAX_PAGES {
                pages.tenants.clear();
            }
            pages.tenants.insert(tenant.slug.clone(), tenant);
        }
    }

    pub fn invalidate_tenant(&self, tenant_id: &str) {
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        pages.by_key.retain(|(tenant, _), _| tenant != tenant_id);
        pages.tenants.retain(|_, tenant| tenant.id != tenant_id);
        pages.changes += 1;
        *pages.generation.entry(tenant_id.to_string()).or_default() += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_that_raced_a_change_is_not_kept() {
        let cache = SiteCache::default();
        let before = cache.generation("t");
        cache.invalidate_tenant("t"); // a publish lands while the page renders
        cache.insert("t", "/", before, CachedPage::new("old".into()));
        assert!(cache.get("t", "/").is_none());
        let now = cache.generation("t");
        cache.insert("t", "/", now, CachedPage::new("new".into()));
        assert_eq!(&cache.get("t", "/").unwrap().html[..], b"new");
        cache.invalidate_tenant("other");
        assert!(
            cache.get("t", "/").is_some(),
            "other tenants' changes leave it alone"
        );
    }

    #[test]
    fn bodies_are_compressed_and_tagged() {
        let page = CachedPage::new("<p>hello</p>".repeat(100));
        assert_eq!(&page.gzip[..2], &[0x1f, 0x8b]);
        assert!(page.brotli.len() < page.html.len() / 4);
        assert_eq!(page.etag, CachedPage::new("<p>hello</p>".repeat(100)).etag);
    }
}
