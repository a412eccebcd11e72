//! Draws a tenant page (or the themed 404) as a complete HTML document.

use leptos::prelude::*;

use crate::cms::{Block, PageContent};
use crate::tenancy::Tenant;

/// The stylesheet built by Tailwind; shared by every site, themed by CSS variables.
pub const STYLESHEET: &str = "/pkg/bizosaas.css";

pub fn page_document(tenant: &Tenant, page: &PageContent) -> String {
    let title = if page.title == tenant.name || tenant.name.is_empty() {
        page.title.clone()
    } else {
        format!("{} · {}", page.title, tenant.name)
    };
    let blocks = page.blocks.iter().map(render_block).collect_view();
    document(tenant, &title, Some(&page.meta_description), view! { <main>{blocks}</main> }.to_html())
}

pub fn not_found_document(tenant: &Tenant) -> String {
    let body = view! {
        <main class="mx-auto max-w-3xl px-6 py-24 text-center">
            <p class="text-sm font-semibold" style="color: var(--color-primary)">"404"</p>
            <h1 class="mt-2 text-3xl font-bold">"This page does not exist"</h1>
            <p class="mt-4 text-slate-600">"It may have moved, or the link may be mistyped."</p>
            <a class="mt-8 inline-block rounded-md px-4 py-2 text-white" style="background: var(--color-primary)" href="/">"Go to the home page"</a>
        </main>
    }
    .to_html();
    document(tenant, "Page not found", None, body)
}

/// A neutral page for hosts we do not serve: it must not reveal which tenants exist.
pub fn unknown_site_document() -> String {
    let body = view! {
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="robots" content="noindex"/>
                <title>"Site not found"</title>
                <link rel="stylesheet" href=STYLESHEET/>
            </head>
            <body class="min-h-screen flex items-center justify-center bg-slate-50 text-slate-800">
                <main class="text-center px-6">
                    <h1 class="text-2xl font-bold">"Site not found"</h1>
                    <p class="mt-2 text-slate-600">"There is no website at this address."</p>
                </main>
            </body>
        </html>
    }
    .to_html();
    format!("<!DOCTYPE html>{body}")
}

fn document(tenant: &Tenant, title: &str, description: Option<&str>, main: String) -> String {
    let theme = &tenant.theme;
    let logo = if theme.logo_text.is_empty() { tenant.name.clone() } else { theme.logo_text.clone() };
    let head = view! {
        <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>{title.to_string()}</title>
            {description.filter(|d| !d.is_empty()).map(|d| view! { <meta name="description" content=d.to_string()/> })}
            <link rel="stylesheet" href=STYLESHEET/>
            <link rel="icon" href="/favicon.ico"/>
            // Theme values are validated types (HexColor, Font), so they are safe in CSS.
            <style id="theme">{theme.css_variables()}</style>
        </head>
    }
    .to_html();
    let header = view! {
        <header class="site-header border-b border-slate-200">
            <div class="mx-auto max-w-5xl px-6 h-16 flex items-center">
                <a href="/" class="site-logo text-xl font-bold" style="color: var(--color-primary)">{logo}</a>
            </div>
        </header>
    }
    .to_html();
    let footer = view! {
        <footer class="border-t border-slate-200 mt-16">
            <div class="mx-auto max-w-5xl px-6 py-8 text-sm text-slate-500">{format!("© {}", tenant.name)}</div>
        </footer>
    }
    .to_html();
    format!(
        "<!DOCTYPE html><html lang=\"en\">{head}<body class=\"site bg-white text-slate-900\" style=\"font-family: var(--font-body)\">{header}{main}{footer}</body></html>"
    )
}

fn render_block(block: &Block) -> AnyView {
    match block {
        Block::Hero { heading, subheading } => view! {
            <section class="hero px-6 py-20 text-white" style="background: var(--color-primary)">
                <div class="mx-auto max-w-5xl">
                    <h1 class="text-4xl font-bold tracking-tight">{heading.clone()}</h1>
                    <p class="mt-4 text-lg opacity-90">{subheading.clone()}</p>
                </div>
            </section>
        }
        .into_any(),
        Block::Text { markdown } => view! {
            <section class="prose-block mx-auto max-w-3xl px-6 py-10" inner_html=super::markdown::to_safe_html(markdown)></section>
        }
        .into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenancy::{Font, HexColor, Theme};

    fn tenant() -> Tenant {
        Tenant {
            id: "t".into(),
            slug: "acme".into(),
            name: "Acme <Co>".into(),
            is_platform: false,
            theme: Theme {
                primary_color: HexColor::parse("#ff0000").unwrap(),
                font: Font::Serif,
                logo_text: "ACME".into(),
            },
        }
    }

    #[test]
    fn page_is_themed_escaped_and_sanitized() {
        let page = PageContent {
            title: "Hello </title><script>x</script>".into(),
            meta_description: "A description".into(),
            blocks: vec![
                Block::Hero { heading: "<b>Big</b>".into(), subheading: "sub".into() },
                Block::Text { markdown: "Hi <script>alert(1)</script>".into() },
            ],
        };
        let html = page_document(&tenant(), &page);
        assert!(html.contains("--color-primary:#ff0000"));
        assert!(html.contains("Georgia"));
        assert!(html.contains("<meta name=\"description\" content=\"A description\""));
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;b&gt;Big&lt;/b&gt;"));
        assert!(html.contains("Acme &lt;Co&gt;"));
    }
}
