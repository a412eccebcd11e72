//! The site check, an SEO audit: crawls the tenant's published site through the site's
//! own renderer (from the home page and every sitemap address, following internal links)
//! and checks what search engines and people need: a title and meta description of the
//! right length, one main heading and no skipped levels, alt text on images, enough
//! words, and internal links that lead somewhere.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::Serialize;

use crate::jobs::{Job, JobError};
use crate::server::AppState;

use crate::activity::reporter::Reporter;
use crate::sites::load::{load, published_paths, Found, What};

pub const META_DESCRIPTION_MIN: usize = 50;
pub const META_DESCRIPTION_MAX: usize = 160;
pub const TITLE_MAX: usize = 60;
/// Fewer words than this in a page's main content is thin.
pub const THIN_WORDS: usize = 150;
/// Pages crawled at most.
const MAX_PAGES: usize = 200;

#[derive(Debug, Serialize, PartialEq)]
pub struct PageFindings {
    pub path: String,
    pub title: String,
    pub problems: Vec<String>,
}

/// What one rendered page says about itself.
#[derive(Debug, Default, PartialEq)]
pub struct PageAudit {
    pub title: String,
    pub problems: Vec<String>,
    /// Internal addresses it links to (no query or fragment).
    pub links: Vec<String>,
}

/// Checks a page's HTML, as the site renders it for visitors.
pub fn audit_html(html: &str) -> PageAudit {
    use lol_html::{element, rewrite_str, text, RewriteStrSettings};
    let title = RefCell::new(String::new());
    let description = RefCell::new(None::<String>);
    let headings = RefCell::new(Vec::<u8>::new());
    let images_without_alt = RefCell::new(0usize);
    let words = RefCell::new(0usize);
    let links = RefCell::new(Vec::<String>::new());
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(text!("head > title", |chunk| {
            title.borrow_mut().push_str(chunk.as_str());
            Ok(())
        }))
        .append_element_content_handler(element!("meta[name=description]", |el| {
            *description.borrow_mut() = el.get_attribute("content");
            Ok(())
        }))
        .append_element_content_handler(element!("h1, h2, h3, h4, h5, h6", |el| {
            let level = el.tag_name().as_bytes().get(1).map_or(0, |d| d - b'0');
            headings.borrow_mut().push(level);
            Ok(())
        }))
        .append_element_content_handler(element!("img", |el| {
            if !el.has_attribute("alt") {
                *images_without_alt.borrow_mut() += 1;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("a[href]", |el| {
            if let Some(href) = el.get_attribute("href") {
                if crate::cms::is_site_path(&href) {
                    let path = href.split(['?', '#']).next().unwrap_or("/");
                    links.borrow_mut().push(path.to_string());
                }
            }
            Ok(())
        }))
        .append_element_content_handler(text!("main", |chunk| {
            *words.borrow_mut() += chunk.as_str().split_whitespace().count();
            Ok(())
        }));
    if rewrite_str(html, settings).is_err() {
        return PageAudit {
            problems: vec!["The page's HTML could not be read.".into()],
            ..Default::default()
        };
    }
    let title = title.into_inner().trim().to_string();
    let mut problems = Vec::new();
    let title_length = title.chars().count();
    if title.is_empty() {
        problems.push("The page has no title.".to_string());
    } else if title_length > TITLE_MAX {
        problems.push(format!(
            "The title has {title_length} characters; search results cut it off after about {TITLE_MAX}."
        ));
    }
    match description.into_inner().map(|d| d.trim().chars().count()) {
        None | Some(0) => problems.push("The page has no meta description.".to_string()),
        Some(length) if length < META_DESCRIPTION_MIN => problems.push(format!(
            "The meta description has {length} characters; search engines show {META_DESCRIPTION_MIN}-{META_DESCRIPTION_MAX} best."
        )),
        Some(length) if length > META_DESCRIPTION_MAX => problems.push(format!(
            "The meta description has {length} characters and will be cut off after {META_DESCRIPTION_MAX}."
        )),
        Some(_) => {}
    }
    let headings = headings.into_inner();
    match headings.iter().filter(|level| **level == 1).count() {
        0 => problems.push("The page has no main heading (h1).".to_string()),
        1 => {}
        n => problems.push(format!(
            "The page has {n} main headings (h1); one is clearer."
        )),
    }
    if let Some(pair) = headings.windows(2).find(|pair| pair[1] > pair[0] + 1) {
        problems.push(format!(
            "A heading jumps from h{} to h{}; screen-reader users navigate by these levels.",
            pair[0], pair[1]
        ));
    }
    match images_without_alt.into_inner() {
        0 => {}
        1 => problems.push("1 image has no alt text.".to_string()),
        n => problems.push(format!("{n} images have no alt text.")),
    }
    let words = words.into_inner();
    if words < THIN_WORDS {
        problems.push(format!(
            "Only {words} words of content; pages with fewer than {THIN_WORDS} rarely rank."
        ));
    }
    PageAudit {
        title,
        problems,
        links: links.into_inner(),
    }
}

/// What the crawl found at an address: a page (its findings and the internal links on
/// it), an address that redirects, or nothing.
enum Visit {
    Page(PageFindings, Vec<String>),
    Moved,
    Missing,
}

/// Addresses that are files or feeds, not pages: not crawled.
fn is_page_address(path: &str) -> bool {
    !(path.starts_with("/media/")
        || path.starts_with("/api/")
        || path.starts_with("/pkg/")
        || path.starts_with("/fonts/")
        || path.ends_with(".xml")
        || path.ends_with(".txt")
        || path.starts_with("/_"))
}

pub async fn run(state: &AppState, job: &Job) -> Result<(), JobError> {
    let report = Reporter::for_job(state, job, "The site check")?;
    let tenant = crate::tenancy::store::tenant_by_id(&state.db, report.tenant_id)
        .await
        .map_err(JobError::store("read the tenant"))?
        .ok_or_else(|| JobError::Failed("The tenant no longer exists.".into()))?;
    report.progress(0, "Reading the published site…").await?;
    let origin = crate::sites::host::tenant_origin(state, &tenant.slug);
    let mut queue: VecDeque<String> = VecDeque::from(["/".to_string()]);
    queue.extend(
        published_paths(&state.db, &tenant.id)
            .await
            .map_err(JobError::store("read the sitemap"))?,
    );
    // Every address met, with what is there.
    let mut seen: BTreeMap<String, Visit> = BTreeMap::new();
    while let Some(path) = queue.pop_front() {
        if seen.contains_key(&path) || seen.len() >= MAX_PAGES {
            continue;
        }
        let found = load(&state.db, &tenant, &origin, What::Path(&path))
            .await
            .map_err(|e| JobError::Failed(format!("could not render {path}: {e}")))?;
        let visit = match found {
            Found::Page(html) => {
                let audit = audit_html(&html);
                for link in &audit.links {
                    if is_page_address(link) && !seen.contains_key(link) {
                        queue.push_back(link.clone());
                    }
                }
                let findings = PageFindings {
                    path: path.clone(),
                    title: audit.title,
                    problems: audit.problems,
                };
                Visit::Page(findings, audit.links)
            }
            // A moved address still works for visitors (it redirects).
            Found::Moved(_) => Visit::Moved,
            Found::Missing => Visit::Missing,
        };
        let is_page = matches!(visit, Visit::Page(..));
        seen.insert(path, visit);
        if is_page {
            let done = seen.len() as i64;
            let known = (done + queue.len() as i64).max(1);
            report
                .progress(done * 95 / known, format!("Checked {done} pages…"))
                .await?;
        }
    }
    let missing: BTreeSet<String> = seen
        .iter()
        .filter(|(_, visit)| matches!(visit, Visit::Missing))
        .map(|(path, _)| path.clone())
        .collect();
    let pages: Vec<PageFindings> = seen
        .into_values()
        .filter_map(|visit| match visit {
            Visit::Page(mut findings, links) => {
                let broken: BTreeSet<&String> = links
                    .iter()
                    .filter(|link| missing.contains(*link))
                    .collect();
                for link in broken {
                    findings
                        .problems
                        .push(format!("Links to {link}, which does not exist."));
                }
                Some(findings)
            }
            Visit::Moved | Visit::Missing => None,
        })
        .collect();
    let problems: usize = pages.iter().map(|f| f.problems.len()).sum();
    let proposed = propose_descriptions(state, report.tenant_id, report.task_id).await?;
    let mut summary = match (pages.len(), problems) {
        (0, _) => "No published pages to check yet.".to_string(),
        (n, 0) => format!("Checked {n} pages: all good."),
        (n, 1) => format!("Checked {n} pages: 1 problem found."),
        (n, p) => format!("Checked {n} pages: {p} problems found."),
    };
    match proposed {
        0 => {}
        1 => summary.push_str(" 1 new meta description waits for your approval."),
        n => summary.push_str(&format!(
            " {n} new meta descriptions wait for your approval."
        )),
    }
    report
        .done(summary, Some(serde_json::json!({ "pages": pages })))
        .await
}

/// For each published page whose meta description is missing or badly sized, proposes
/// one made from the page's own text (when it has enough), unless one already waits.
async fn propose_descriptions(
    state: &AppState,
    tenant_id: &str,
    task_id: &str,
) -> Result<usize, JobError> {
    use crate::approvals::{store as proposals, Change};
    use crate::cms::{Content, PageContent};
    let pages = crate::cms::store::published::<PageContent>(&state.db, tenant_id)
        .await
        .map_err(JobError::store("read pages"))?;
    let site_name = crate::tenancy::store::tenant_by_id(&state.db, tenant_id)
        .await
        .map_err(JobError::store("read the site"))?
        .map(|tenant| tenant.name)
        .unwrap_or_default();
    let mut proposed = 0;
    for page in pages {
        let length = page.content.meta_description.trim().chars().count();
        if (META_DESCRIPTION_MIN..=META_DESCRIPTION_MAX).contains(&length) {
            continue;
        }
        let Some(after) = description_from(&page.content, &site_name) else {
            continue;
        };
        let pending = proposals::meta_description_pending(&state.db, tenant_id, &page.id)
            .await
            .map_err(JobError::store("read proposals"))?;
        if pending {
            continue;
        }
        let path = PageContent::path(&page.slug);
        let change = Change::MetaDescription {
            page_id: page.id.clone(),
            path: path.clone(),
            before: page.content.meta_description.clone(),
            after,
        };
        let mut tx = (state.db.begin().await).map_err(JobError::store("store a proposal"))?;
        proposals::propose(
            &mut tx,
            tenant_id,
            Some(task_id),
            &format!("Meta description for {path}"),
            change,
            "Suggested by the site check from the page's own text.",
        )
        .await
        .map_err(JobError::store("store a proposal"))?;
        (tx.commit().await).map_err(JobError::store("store a proposal"))?;
        proposed += 1;
    }
    Ok(proposed)
}

/// A meta description from the page's words (its hero's subheading, text, features,
/// call to action and answers), plain, cut at a word before 155 characters. A page with
/// little to say gets a sentence naming it and the site; None when even that is short.
pub fn description_from(page: &crate::cms::PageContent, site_name: &str) -> Option<String> {
    use crate::cms::Block;
    let mut text = String::new();
    for block in &page.blocks {
        let words = match block {
            Block::Hero { subheading, .. } => subheading.clone(),
            Block::Text { markdown } => markdown
                .lines()
                .filter(|line| !line.trim_start().starts_with('#'))
                .collect::<Vec<_>>()
                .join(" "),
            Block::Features { items, .. } => items
                .iter()
                .map(|item| format!("{}: {}", item.title, item.text))
                .collect::<Vec<_>>()
                .join(" "),
            Block::CallToAction { text, .. } => text.clone(),
            Block::Faq { items, .. } => items
                .iter()
                .map(|item| item.answer.clone())
                .collect::<Vec<_>>()
                .join(" "),
            _ => continue,
        };
        text.push(' ');
        text.push_str(&words);
    }
    let short = text
        .split_whitespace()
        .map(str::chars)
        .map(Iterator::count)
        .sum::<usize>()
        < META_DESCRIPTION_MIN;
    if short && !page.title.trim().is_empty() && !site_name.trim().is_empty() {
        text.push_str(&format!(
            " Read more on the {} page of {}.",
            page.title.trim(),
            site_name.trim()
        ));
    }
    // Markdown links keep their words; emphasis marks go.
    let mut plain = String::new();
    let mut in_target = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ']' if chars.peek() == Some(&'(') => {
                chars.next();
                in_target = true;
            }
            ')' if in_target => in_target = false,
            _ if in_target => {}
            '*' | '_' | '[' | ']' | '`' | '>' => {}
            c => plain.push(c),
        }
    }
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    if plain.chars().count() < META_DESCRIPTION_MIN {
        return None;
    }
    if plain.chars().count() <= 155 {
        return Some(plain);
    }
    let mut cut: String = plain.chars().take(154).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    Some(format!("{}…", cut.trim_end_matches([',', ';', ':', '.'])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(head: &str, main: &str) -> String {
        format!("<!doctype html><html><head>{head}</head><body><nav><a href=\"/\">Home</a></nav><main>{main}</main></body></html>")
    }

    fn words(n: usize) -> String {
        vec!["word"; n].join(" ")
    }

    #[test]
    fn descriptions_come_from_the_pages_words() {
        use crate::cms::{Block, PageContent};
        let page = |markdown: &str| PageContent {
            title: "T".into(),
            meta_description: String::new(),
            blocks: vec![Block::Text {
                markdown: markdown.into(),
            }],
        };
        assert_eq!(description_from(&page("# Hi\n\nToo short."), ""), None);
        // A page with little to say is named, with its site.
        assert_eq!(
            description_from(&page("A family business."), "Acme Corporation").as_deref(),
            Some("A family business. Read more on the T page of Acme Corporation.")
        );
        let made = description_from(
            &page(&format!(
                "# About\n\nWe make **anvils** by hand, see [our forge](/forge). {}",
                "Every one is tested twice before it ships. ".repeat(8)
            )),
            "Acme",
        )
        .unwrap();
        assert!(
            made.starts_with("We make anvils by hand, see our forge. Every one"),
            "{made}"
        );
        assert!(made.chars().count() <= 155 && made.ends_with('…'), "{made}");
    }

    #[test]
    fn a_good_page_has_no_problems() {
        let head = format!(
            "<title>Anvils · Acme</title><meta name=\"description\" content=\"{}\">",
            "a".repeat(80)
        );
        let main = format!(
            "<h1>Anvils</h1><h2>Why</h2><p>{}</p><img src=\"/a.png\" alt=\"An anvil\"><img src=\"/b.png\" alt=\"\"><a href=\"/about?x=1#team\">About</a>",
            words(200)
        );
        let audit = audit_html(&page(&head, &main));
        assert_eq!(audit.problems, Vec::<String>::new());
        assert_eq!(audit.title, "Anvils · Acme");
        assert_eq!(audit.links, ["/", "/about"]);
    }

    #[test]
    fn finds_what_search_engines_and_people_miss() {
        let head = format!(
            "<title>{}</title><meta name=\"description\" content=\"short\">",
            "t".repeat(70)
        );
        let main = "<h1>One</h1><h1>Two</h1><h4>Deep</h4><img src=\"/a.png\"><p>Few words here.</p><a href=\"https://elsewhere.test/\">x</a><a href=\"//cdn.test/x\">y</a>";
        let audit = audit_html(&page(&head, main));
        let all = audit.problems.join(" | ");
        assert!(all.contains("70 characters"), "{all}");
        assert!(all.contains("5 characters"), "{all}");
        assert!(all.contains("2 main headings"), "{all}");
        assert!(all.contains("from h1 to h4"), "{all}");
        assert!(all.contains("1 image has no alt text"), "{all}");
        assert!(all.contains("words of content"), "{all}");
        assert_eq!(audit.links, ["/"], "outside links are not crawled");
        let bare = audit_html(&page("", ""));
        assert!(bare.problems.iter().any(|p| p.contains("no title")));
        assert!(bare
            .problems
            .iter()
            .any(|p| p.contains("no meta description")));
        assert!(bare.problems.iter().any(|p| p.contains("no main heading")));
    }
}
