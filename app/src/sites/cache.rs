//! Rendered tenant pages kept in memory, compressed, so a published page is rendered
//! and compressed once, not per request; and the tenants and custom
//! domains sites are found by. Everything counts against one budget of bytes
//! (`BIZOSAAS_CACHE_MB`); past it the oldest entries go first. A publish, theme or
//! settings change drops the tenant's pages and cached tenant (in every process, through
//! PostgreSQL NOTIFY).

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::sync::{Arc, OnceLock, RwLock};

use axum::body::Bytes;

use crate::domains::store::DomainSite;
use crate::tenancy::Tenant;

/// The budget when none is configured.
pub const DEFAULT_BUDGET_BYTES: usize = 64 * 1024 * 1024;
/// HTML copies of pages hold at most this fraction of the budget (see `SiteCache::html`).
const HTML_SHARE: usize = 16;
/// What an entry costs besides its text: the map's slot, the key, the Arc, the queue.
const ENTRY_OVERHEAD: usize = 160;

/// A rendered page, kept gzipped: a quarter of the memory of its HTML or less, so an
/// agency's thousands of home pages fit the budget rather than its hundreds. Browsers
/// take gzip or brotli; brotli is made when a client first asks for it. The HTML itself
/// is kept only once a client that takes neither asks (`SiteCache::html`).
pub struct CachedPage {
    gzip: Bytes,
    brotli: OnceLock<Bytes>,
    html: OnceLock<Bytes>,
    /// A strong validator of the HTML.
    pub etag: String,
}

impl CachedPage {
    pub fn new(html: &str) -> CachedPage {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(html.as_bytes());
        let etag = format!("\"{}\"", crate::server::secrets::to_hex(&digest[..12]));
        CachedPage {
            gzip: Bytes::from(gzip_fast(html.as_bytes())),
            brotli: OnceLock::new(),
            html: OnceLock::new(),
            etag,
        }
    }

    pub fn gzip(&self) -> Bytes {
        self.gzip.clone()
    }

    /// The page in brotli (level 6: level 11 takes ~20 ms a page here).
    pub fn brotli(&self) -> Bytes {
        self.brotli
            .get_or_init(|| {
                let mut brotli = Vec::with_capacity(self.gzip.len());
                {
                    let mut writer = brotli::CompressorWriter::new(&mut brotli, 4096, 6, 22);
                    let _ = writer.write_all(&self.html());
                }
                Bytes::from(brotli)
            })
            .clone()
    }

    /// The HTML, for a client that takes no compression: the kept copy, or inflated.
    pub fn html(&self) -> Bytes {
        if let Some(html) = self.html.get() {
            return html.clone();
        }
        use std::io::Read;
        let mut html = Vec::with_capacity(self.gzip.len() * 4);
        let _ = flate2::read::GzDecoder::new(&self.gzip[..]).read_to_end(&mut html);
        Bytes::from(html)
    }

    /// What the page is charged in the budget: its gzip body, as much again for the
    /// brotli one (a little smaller, made or not, so making it changes nothing), and the
    /// HTML once kept (added under the cache's lock when it is: `SiteCache::html`).
    fn bytes(&self) -> usize {
        2 * self.gzip.len() + self.etag.len() + self.html_bytes()
    }

    fn html_bytes(&self) -> usize {
        self.html.get().map_or(0, Bytes::len)
    }
}

/// `bytes` gzipped at the fastest level: this is on a cache miss's path, where the
/// default level took a sixth of the miss for a copy only ~10 % smaller (2.9 vs 3.3 KB
/// here). A compressor's state is a few hundred KB to allocate and clear, more work than
/// compressing a page, so each thread keeps one and resets it.
fn gzip_fast(bytes: &[u8]) -> Vec<u8> {
    use flate2::{Compress, Compression, Crc, FlushCompress, Status};
    thread_local! {
        static DEFLATE: std::cell::RefCell<Compress> =
            std::cell::RefCell::new(Compress::new(Compression::fast(), false));
    }
    // One gzip member: a header without name or time (deflate, fastest, OS unknown), the
    // raw deflate stream, then the CRC-32 and length of what it holds.
    let mut gzip = Vec::with_capacity(bytes.len() / 4 + 32);
    gzip.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 255]);
    let deflated = DEFLATE.with_borrow_mut(|deflate| {
        deflate.reset();
        loop {
            let read = usize::try_from(deflate.total_in()).unwrap_or(usize::MAX);
            let rest = bytes.get(read..).unwrap_or_default();
            match deflate.compress_vec(rest, &mut gzip, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => return true,
                Ok(_) => gzip.reserve(gzip.capacity().max(1024)),
                Err(_) => return false,
            }
        }
    });
    if !deflated {
        // Not seen; the stream type's own encoder is the safe way back.
        let mut encoder =
            flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 4), Compression::fast());
        let _ = encoder.write_all(bytes);
        return encoder.finish().unwrap_or_default();
    }
    let mut crc = Crc::new();
    crc.update(bytes);
    gzip.extend_from_slice(&crc.sum().to_le_bytes());
    gzip.extend_from_slice(&crc.amount().to_le_bytes());
    gzip
}

/// Roughly what a tenant takes in memory: its texts, links and theme.
fn tenant_bytes(tenant: &Tenant) -> usize {
    let links = |links: &[crate::cms::Link]| -> usize {
        links
            .iter()
            .map(|l| l.label.len() + l.href.len() + 48)
            .sum()
    };
    tenant.id.len()
        + tenant.slug.len()
        + tenant.name.len()
        + tenant.settings.footer_text.len()
        + links(&tenant.settings.navigation)
        + links(&tenant.settings.footer_links)
        + tenant.theme.logo_text.len()
        + tenant.theme.logo_url.as_ref().map_or(0, String::len)
        + tenant.theme.favicon_url.as_ref().map_or(0, String::len)
        + tenant.custom_domain.as_ref().map_or(0, String::len)
        + 400
}

fn domain_bytes(host: &str, site: &DomainSite) -> usize {
    host.len() * 2 + site.tenant_slug.len() + site.tenant_id.len() + 64
}

/// What the queue remembers of an entry, to evict it oldest first.
enum Entry {
    Page(String, String),
    Tenant(String),
    Domain(String),
}

#[derive(Default)]
struct Pages {
    /// Tenants by host slug, so a cached page needs no database at all.
    tenants: HashMap<String, (Arc<Tenant>, usize)>,
    /// Verified custom domains by the host a visitor used (`www.` or not).
    domains: HashMap<String, (DomainSite, usize)>,
    /// Pages by tenant id, then by key: looked up with borrowed strings, no allocation.
    by_tenant: HashMap<String, HashMap<String, Arc<CachedPage>>>,
    /// Pages in `by_tenant`, kept so the queue's size check needs no walk over tenants.
    page_count: usize,
    /// Entries in the order they came; some may be gone already (skipped on eviction).
    order: VecDeque<Entry>,
    /// Bytes held by all three maps.
    bytes: usize,
    /// Of those, the pages' HTML copies kept for clients that take no compression.
    html_bytes: usize,
    /// Bumped on every change to any tenant's site, so a render or tenant read that
    /// started before a change is never stored after it. Changes are rare; one counter
    /// for all tenants is simpler than one each and costs only an occasional re-render.
    changes: u64,
}

impl Pages {
    fn entries(&self) -> usize {
        self.page_count + self.tenants.len() + self.domains.len()
    }

    fn page(&self, tenant_id: &str, key: &str) -> Option<&Arc<CachedPage>> {
        self.by_tenant.get(tenant_id)?.get(key)
    }

    fn remove_page(&mut self, tenant_id: &str, key: &str) -> Option<Arc<CachedPage>> {
        let pages = self.by_tenant.get_mut(tenant_id)?;
        let page = pages.remove(key)?;
        if pages.is_empty() {
            self.by_tenant.remove(tenant_id);
        }
        self.page_count -= 1;
        self.html_bytes -= page.html_bytes();
        Some(page)
    }

    /// Drops the oldest entries until what is kept fits the budget.
    fn evict_to(&mut self, budget: usize) {
        while self.bytes > budget {
            let Some(entry) = self.order.pop_front() else {
                break;
            };
            let freed = match entry {
                Entry::Page(tenant, key) => self
                    .remove_page(&tenant, &key)
                    .map(|page| page.bytes() + key.len() + ENTRY_OVERHEAD),
                Entry::Tenant(slug) => self.tenants.remove(&slug).map(|(_, size)| size),
                Entry::Domain(host) => self.domains.remove(&host).map(|(_, size)| size),
            };
            self.bytes -= freed.unwrap_or(0);
        }
        // Entries removed by invalidation linger in the queue; keep it near the maps' size.
        if self.order.len() > 2 * self.entries() + 1024 {
            let (by_tenant, tenants, domains) = (&self.by_tenant, &self.tenants, &self.domains);
            self.order.retain(|entry| match entry {
                Entry::Page(tenant, key) => by_tenant
                    .get(tenant)
                    .is_some_and(|pages| pages.contains_key(key)),
                Entry::Tenant(slug) => tenants.contains_key(slug),
                Entry::Domain(host) => domains.contains_key(host),
            });
        }
    }
}

pub struct SiteCache {
    pages: RwLock<Pages>,
    budget: usize,
}

impl Default for SiteCache {
    fn default() -> Self {
        SiteCache::with_budget(DEFAULT_BUDGET_BYTES)
    }
}

impl SiteCache {
    /// A cache that holds at most `budget` bytes of pages, tenants and domains.
    pub fn with_budget(budget: usize) -> SiteCache {
        SiteCache {
            pages: RwLock::default(),
            budget,
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Pages> {
        self.pages.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Pages> {
        self.pages.write().unwrap_or_else(|e| e.into_inner())
    }

    pub fn get(&self, tenant_id: &str, key: &str) -> Option<Arc<CachedPage>> {
        self.read().page(tenant_id, key).cloned()
    }

    /// The HTML of a page got from `get`, for a client that takes no compression. Kept
    /// (and charged to the budget) while the page is cached, so a run of such clients,
    /// such as a load tester's, does not inflate it every time; but such copies hold at
    /// most a sixteenth of the budget, or at thousands of tenants they would crowd out
    /// the compressed pages browsers get, and pages would be drawn again and again.
    pub fn html(&self, tenant_id: &str, key: &str, page: &Arc<CachedPage>) -> Bytes {
        if let Some(html) = page.html.get() {
            return html.clone();
        }
        let html = page.html();
        let room = |pages: &Pages| pages.html_bytes + html.len() <= self.budget / HTML_SHARE;
        if !room(&self.read()) {
            return html;
        }
        let mut pages = self.write();
        let cached = pages
            .page(tenant_id, key)
            .is_some_and(|kept| Arc::ptr_eq(kept, page));
        // Set under the lock, so the charge added here is the one taken off on eviction.
        if cached && room(&pages) && page.html.set(html.clone()).is_ok() {
            pages.bytes += html.len();
            pages.html_bytes += html.len();
            pages.evict_to(self.budget);
        }
        html
    }

    /// Shared, not copied: a cached page is served without cloning its tenant.
    pub fn tenant(&self, slug: &str) -> Option<Arc<Tenant>> {
        self.read()
            .tenants
            .get(slug)
            .map(|(tenant, _)| tenant.clone())
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
        let size = page.bytes() + key.len() + ENTRY_OVERHEAD;
        if size > self.budget {
            return page;
        }
        let mut pages = self.write();
        if pages.changes == changes {
            let old = pages
                .by_tenant
                .entry(tenant_id.to_string())
                .or_default()
                .insert(key.to_string(), page.clone());
            match old {
                Some(old) => {
                    pages.bytes -= old.bytes() + key.len() + ENTRY_OVERHEAD;
                    pages.html_bytes -= old.html_bytes();
                }
                None => {
                    pages.page_count += 1;
                    pages
                        .order
                        .push_back(Entry::Page(tenant_id.to_string(), key.to_string()));
                }
            }
            pages.bytes += size;
            pages.evict_to(self.budget);
        }
        page
    }

    /// Keeps a tenant read from the database, unless a site changed since `changes`.
    pub fn insert_tenant(&self, changes: u64, tenant: Arc<Tenant>) {
        let size = tenant_bytes(&tenant) + ENTRY_OVERHEAD;
        let mut pages = self.write();
        if pages.changes == changes {
            let slug = tenant.slug.clone();
            match pages.tenants.insert(slug.clone(), (tenant, size)) {
                Some((_, old)) => pages.bytes -= old,
                None => pages.order.push_back(Entry::Tenant(slug)),
            }
            pages.bytes += size;
            pages.evict_to(self.budget);
        }
    }

    pub fn domain(&self, host: &str) -> Option<DomainSite> {
        self.read().domains.get(host).map(|(site, _)| site.clone())
    }

    /// Keeps a verified domain read from the database, unless a site changed since `changes`.
    pub fn insert_domain(&self, changes: u64, host: &str, site: DomainSite) {
        let size = domain_bytes(host, &site) + ENTRY_OVERHEAD;
        let mut pages = self.write();
        if pages.changes == changes {
            match pages.domains.insert(host.to_string(), (site, size)) {
                Some((_, old)) => pages.bytes -= old,
                None => pages.order.push_back(Entry::Domain(host.to_string())),
            }
            pages.bytes += size;
            pages.evict_to(self.budget);
        }
    }

    pub fn invalidate_tenant(&self, tenant_id: &str) {
        let mut pages = self.write();
        let mut freed = 0;
        if let Some(dropped) = pages.by_tenant.remove(tenant_id) {
            pages.page_count -= dropped.len();
            pages.html_bytes -= dropped
                .values()
                .map(|page| page.html_bytes())
                .sum::<usize>();
            freed += dropped
                .iter()
                .map(|(key, page)| page.bytes() + key.len() + ENTRY_OVERHEAD)
                .sum::<usize>();
        }
        pages.tenants.retain(|_, (tenant, size)| {
            let keep = tenant.id != tenant_id;
            if !keep {
                freed += *size;
            }
            keep
        });
        pages.domains.retain(|_, (site, size)| {
            let keep = site.tenant_id != tenant_id;
            if !keep {
                freed += *size;
            }
            keep
        });
        pages.bytes -= freed;
        pages.changes += 1;
        let budget = self.budget;
        pages.evict_to(budget);
    }

    /// Drops every page, tenant and domain (changes may have been missed).
    pub fn clear(&self) {
        let mut pages = self.write();
        let changes = pages.changes + 1;
        *pages = Pages {
            changes,
            ..Pages::default()
        };
    }

    /// Bytes held, and the budget (for tests and the docs' measurements).
    pub fn usage(&self) -> (usize, usize) {
        (self.read().bytes, self.budget)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_gzipped_whole_by_a_compressor_each_thread_reuses() {
        use std::io::Read;
        // Bytes that do not compress: the output outgrows its first guess at a size.
        let mut seed = 1_u32;
        let noise: Vec<u8> = (0..100_000)
            .map(|_| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (seed >> 24) as u8
            })
            .collect();
        let pages: [&[u8]; 5] = [b"", b"x", b"<h1>Hi</h1>", &noise, b"<h1>Again</h1>"];
        for page in pages {
            let gzip = gzip_fast(page);
            let mut back = Vec::new();
            flate2::read::GzDecoder::new(&gzip[..])
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, page);
        }
    }

    #[test]
    fn a_render_that_raced_a_change_is_not_kept() {
        let cache = SiteCache::default();
        let before = cache.changes();
        cache.invalidate_tenant("t"); // a publish lands while the page renders
        cache.insert("t", "/", before, CachedPage::new("old"));
        assert!(cache.get("t", "/").is_none());
        let now = cache.changes();
        cache.insert("t", "/", now, CachedPage::new("new"));
        assert_eq!(&cache.get("t", "/").unwrap().html()[..], b"new");
        cache.invalidate_tenant("other");
        assert!(
            cache.get("t", "/").is_some(),
            "other tenants' changes leave it alone"
        );
    }

    #[test]
    fn a_change_drops_all_of_that_tenants_pages_and_gives_back_their_bytes() {
        let cache = SiteCache::default();
        let changes = cache.changes();
        cache.insert("t", "/", changes, CachedPage::new("home"));
        cache.insert("t", "/about", changes, CachedPage::new("about"));
        cache.insert("u", "/", changes, CachedPage::new("other home"));
        let other_alone = {
            let only = SiteCache::default();
            only.insert("u", "/", only.changes(), CachedPage::new("other home"));
            only.usage().0
        };
        cache.invalidate_tenant("t");
        assert!(cache.get("t", "/").is_none() && cache.get("t", "/about").is_none());
        assert!(cache.get("u", "/").is_some());
        assert_eq!(cache.usage().0, other_alone);
    }

    /// A page of text that compresses about as badly as text can (no repeats), so its
    /// size in the cache is near its length.
    fn page(kilobytes: usize) -> CachedPage {
        let mut state = 0x2545_f491_u32;
        let text: String = (0..kilobytes * 1024)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                char::from(b'!' + (state % 90) as u8)
            })
            .collect();
        CachedPage::new(&text)
    }

    #[test]
    fn memory_is_bounded_whatever_the_keys_and_the_oldest_go_first() {
        let one = page(512);
        let charged = one.bytes() + "http://acme/199".len() + ENTRY_OVERHEAD;
        assert!(charged > 512 * 1024, "{charged}: room for gzip and brotli");
        // Room for seven and a half pages.
        let cache = SiteCache::with_budget(charged * 15 / 2);
        for n in 0..200 {
            cache.insert("t", &format!("http://acme/{n}"), 0, page(512));
            assert!(cache.usage().0 <= cache.usage().1);
        }
        // The newest pages are kept, the oldest went.
        assert!(cache.get("t", "http://acme/199").is_some());
        assert!(cache.get("t", "http://acme/193").is_some());
        assert!(
            cache.get("t", "http://acme/192").is_none(),
            "seven pages fit, not eight"
        );
        assert!(cache.get("t", "http://acme/0").is_none());
        // A page larger than the whole budget is served, never kept.
        cache.insert("t", "http://acme/huge", 0, page(16 * 512));
        assert!(cache.get("t", "http://acme/huge").is_none());
        cache.invalidate_tenant("t");
        assert_eq!(cache.usage().0, 0);
    }

    #[test]
    fn html_asked_for_is_kept_and_charged_only_while_the_page_is() {
        let cache = SiteCache::default();
        let html = "<p>hello</p>".repeat(1000);
        let page = cache.insert("t", "/", 0, CachedPage::new(&html));
        let gzipped = cache.usage().0;
        assert_eq!(&cache.html("t", "/", &page)[..], html.as_bytes());
        assert_eq!(cache.usage().0, gzipped + html.len(), "kept, and charged");
        assert_eq!(&cache.html("t", "/", &page)[..], html.as_bytes());
        assert_eq!(cache.usage().0, gzipped + html.len(), "charged once");
        cache.invalidate_tenant("t");
        assert_eq!(cache.usage().0, 0, "the charge went with the page");
        // A page no longer cached is inflated for its client, not kept.
        assert_eq!(&cache.html("t", "/", &page)[..], html.as_bytes());
        assert_eq!(cache.usage().0, 0);
        let other = Arc::new(CachedPage::new(&html));
        cache.html("t", "/", &other);
        assert!(other.html.get().is_none());
    }

    #[test]
    fn html_copies_hold_at_most_their_share_of_the_budget() {
        let cache = SiteCache::with_budget(HTML_SHARE * 20_000);
        let html = "<p>hello</p>".repeat(1000); // 12,000 bytes: one fits the share of 20,000
        let first = cache.insert("t", "/a", 0, CachedPage::new(&html));
        let second = cache.insert("t", "/b", 0, CachedPage::new(&html));
        let before = cache.usage().0;
        assert_eq!(&cache.html("t", "/a", &first)[..], html.as_bytes());
        assert_eq!(
            cache.usage().0,
            before + html.len(),
            "the first copy is kept"
        );
        assert_eq!(&cache.html("t", "/b", &second)[..], html.as_bytes());
        assert_eq!(cache.usage().0, before + html.len(), "no room for a second");
        assert!(second.html.get().is_none());
        // Dropping the first page gives its share back.
        cache.invalidate_tenant("t");
        let third = cache.insert("t", "/b", cache.changes(), CachedPage::new(&html));
        cache.html("t", "/b", &third);
        assert!(third.html.get().is_some());
    }

    #[test]
    fn tenants_and_domains_count_against_the_same_budget() {
        let cache = SiteCache::with_budget(256 * 1024);
        let changes = cache.changes();
        for n in 0..2000 {
            let tenant = Tenant {
                id: format!("id-{n}"),
                slug: format!("tenant-{n}"),
                name: format!("Tenant {n}"),
                is_platform: false,
                theme: Default::default(),
                settings: Default::default(),
                custom_domain: None,
            };
            cache.insert_tenant(changes, Arc::new(tenant));
        }
        let (used, budget) = cache.usage();
        assert!(used <= budget && used > budget / 2, "{used} of {budget}");
        assert!(cache.tenant("tenant-1999").is_some());
        assert!(cache.tenant("tenant-0").is_none());
        // Invalidating what is no longer kept (or kept) keeps the count true.
        for n in 0..2000 {
            cache.invalidate_tenant(&format!("id-{n}"));
        }
        assert_eq!(cache.usage().0, 0);
        assert!(
            cache.read().order.len() <= 1024,
            "the queue forgets what is gone"
        );
    }

    #[test]
    fn pages_are_kept_gzipped_and_brotli_is_made_when_asked_for() {
        let html = "<p>hello</p>".repeat(100);
        let page = CachedPage::new(&html);
        assert_eq!(&page.gzip()[..2], &[0x1f, 0x8b]);
        assert!(page.bytes() < html.len() / 4, "{} bytes kept", page.bytes());
        assert_eq!(&page.html()[..], html.as_bytes(), "inflated whole");
        assert!(page.brotli.get().is_none());
        let mut unpacked = Vec::new();
        std::io::Read::read_to_end(
            &mut brotli::Decompressor::new(&page.brotli()[..], 4096),
            &mut unpacked,
        )
        .unwrap();
        assert_eq!(unpacked, html.as_bytes());
        assert_eq!(page.brotli(), page.brotli(), "made once");
        assert_eq!(page.etag, CachedPage::new(&html).etag);
        assert_ne!(page.etag, CachedPage::new("<p>bye</p>").etag);
    }
}
