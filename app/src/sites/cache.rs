//! Rendered tenant pages kept in memory with their gzip and brotli bodies, so a published
//! page is rendered and compressed once, not per request. A publish, theme or settings
//! change drops the tenant's pages and cached tenant (in every process, through
//! PostgreSQL NOTIFY).

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, RwLock};

use axum::body::Bytes;

use crate::domains::store::DomainSite;
use crate::tenancy::Tenant;

/// Memory for cached pages; past it the cache starts over (simple, and bounded).
const MAX_BYTES: usize = 64 * 1024 * 1024;
/// Tenants kept at most (only tenants that exist are ever cached).
const MAX_TENANTS: usize = 100_000;

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
    tenants: HashMap<String, Arc<Tenant>>,
    /// Verified custom domains by the host a visitor used (`www.` or not).
    domains: HashMap<String, DomainSite>,
    by_key: HashMap<(String, String), Arc<CachedPage>>,
    /// Bytes held by `by_key` (the Host header is part of a key, so visitors can make
    /// new keys at will: the bound must be on memory, not on count).
    bytes: usize,
    /// Bumped on every change to any tenant's site, so a render or tenant read that
    /// started before a change is never stored after it. Changes are rare; one counter
    /// for all tenants is simpler than one each and costs only an occasional re-render.
    changes: u64,
}

#[derive(Default)]
pub struct SiteCache {
    pages: RwLock<Pages>,
}

impl SiteCache {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Pages> {
        self.pages.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Pages> {
        self.pages.write().unwrap_or_else(|e| e.into_inner())
    }

    pub fn get(&self, tenant_id: &str, key: &str) -> Option<Arc<CachedPage>> {
        self.read()
            .by_key
            .get(&(tenant_id.to_string(), key.to_string()))
            .cloned()
    }

    /// Shared, not copied: a cached page is served without cloning its tenant.
    pub fn tenant(&self, slug: &str) -> Option<Arc<Tenant>> {
        self.read().tenants.get(slug).cloned()
    }

    /// Call before reading from the database; pass the result to `insert` or
    /// `insert_tenant`.
    pub fn changes(&self) -> u64 {
        self.read().changes
    }

    /// Keeps a rendered page, unless a site changed since `changes`.
    pub fn insert(
        &self,
        tenant_id: &str,
        key: &str,
        changes: u64,
        page: CachedPage,
    ) -> Arc<CachedPage> {
        let page = Arc::new(page);
        let size = page.html.len() + page.gzip.len() + page.brotli.len();
        let mut pages = self.write();
        if pages.changes == changes {
            if pages.bytes + size > MAX_BYTES {
                pages.by_key.clear();
                pages.bytes = 0;
            }
            pages.bytes += size;
            let old = pages
                .by_key
                .insert((tenant_id.to_string(), key.to_string()), page.clone());
            if let Some(old) = old {
                pages.bytes -= old.html.len() + old.gzip.len() + old.brotli.len();
            }
        }
        page
    }

    /// Keeps a tenant read from the database, unless a site changed since `changes`.
    pub fn insert_tenant(&self, changes: u64, tenant: Arc<Tenant>) {
        let mut pages = self.write();
        if pages.changes == changes {
            if pages.tenants.len() >= MAX_TENANTS {
                pages.tenants.clear();
            }
            pages.tenants.insert(tenant.slug.clone(), tenant);
        }
    }

    pub fn domain(&self, host: &str) -> Option<DomainSite> {
        self.read().domains.get(host).cloned()
    }

    /// Keeps a verified domain read from the database, unless a site changed since `changes`.
    pub fn insert_domain(&self, changes: u64, host: &str, site: DomainSite) {
        let mut pages = self.write();
        if pages.changes == changes {
            if pages.domains.len() >= MAX_TENANTS {
                pages.domains.clear();
            }
            pages.domains.insert(host.to_string(), site);
        }
    }

    pub fn invalidate_tenant(&self, tenant_id: &str) {
        let mut pages = self.write();
        let mut freed = 0;
        pages.by_key.retain(|(tenant, _), page| {
            let keep = tenant != tenant_id;
            if !keep {
                freed += page.html.len() + page.gzip.len() + page.brotli.len();
            }
            keep
        });
        pages.bytes -= freed;
        pages.tenants.retain(|_, tenant| tenant.id != tenant_id);
        pages.domains.retain(|_, site| site.tenant_id != tenant_id);
        pages.changes += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_that_raced_a_change_is_not_kept() {
        let cache = SiteCache::default();
        let before = cache.changes();
        cache.invalidate_tenant("t"); // a publish lands while the page renders
        cache.insert("t", "/", before, CachedPage::new("old".into()));
        assert!(cache.get("t", "/").is_none());
        let now = cache.changes();
        cache.insert("t", "/", now, CachedPage::new("new".into()));
        assert_eq!(&cache.get("t", "/").unwrap().html[..], b"new");
        cache.invalidate_tenant("other");
        assert!(
            cache.get("t", "/").is_some(),
            "other tenants' changes leave it alone"
        );
    }

    #[test]
    fn memory_is_bounded_whatever_the_keys() {
        let cache = SiteCache::default();
        let body = Bytes::from(vec![b'x'; 1024 * 1024]);
        for port in 0..200 {
            let key = format!("http://acme:{port}/");
            let page = CachedPage {
                html: body.clone(),
                gzip: Bytes::new(),
                brotli: Bytes::new(),
                etag: String::new(),
            };
            cache.insert("t", &key, 0, page);
        }
        assert!(cache.read().bytes <= MAX_BYTES);
        cache.invalidate_tenant("t");
        assert_eq!(cache.read().bytes, 0);
    }

    #[test]
    fn bodies_are_compressed_and_tagged() {
        let page = CachedPage::new("<p>hello</p>".repeat(100));
        assert_eq!(&page.gzip[..2], &[0x1f, 0x8b]);
        assert!(page.brotli.len() < page.html.len() / 4);
        assert_eq!(page.etag, CachedPage::new("<p>hello</p>".repeat(100)).etag);
    }
}
