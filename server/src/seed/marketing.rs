//! The platform's own marketing site, written once when the platform tenant is made:
//! CMS pages like any tenant's, edited afterwards by platform admins. The pricing page is
//! written from the plan table (`app::plans::PLANS`).

use app::cms::{Block, FaqItem, Feature, Link, PageContent};
use app::plans::PLANS;
use app::tenancy::SiteSettings;

fn start_free() -> Link {
    Link {
        label: "Start free".into(),
        href: "/signup".into(),
    }
}

pub fn settings() -> SiteSettings {
    let link = |label: &str, href: &str| Link {
        label: label.into(),
        href: href.into(),
    };
    SiteSettings {
        navigation: vec![
            link("Home", "/"),
            link("Features", "/features"),
            link("Pricing", "/pricing"),
            link("Sign in", "/login"),
            start_free(),
        ],
        footer_text: "BizOSaaS: your website, content, customers and AI agents in one place."
            .into(),
        footer_links: vec![
            link("Pricing", "/pricing"),
            link("Start free", "/signup"),
            link("Agent API", "/docs/agent-api"),
        ],
        ..SiteSettings::default()
    }
}

fn feature(title: &str, text: &str) -> Feature {
    Feature {
        title: title.into(),
        text: text.into(),
    }
}

/// (slug, page) of every marketing page; the home page's slug is empty.
pub fn pages() -> Vec<(&'static str, PageContent)> {
    vec![
        ("", home()),
        ("features", features()),
        ("pricing", pricing()),
    ]
}

fn home() -> PageContent {
    PageContent {
        title: "BizOSaaS: your business online, with AI agents you can watch at work".into(),
        meta_description: "A website, a CMS, a CRM and AI agents for your business in one platform, \
                           with a live view of everything the agents do for you. Start free."
            .into(),
        blocks: vec![
            Block::Hero {
                heading: "Your business online, with an AI team you can watch at work".into(),
                subheading: "Sign up and your site is live in a minute. Then AI agents check \
                             it, draft posts for it and gather your leads, and you see every \
                             step as it happens."
                    .into(),
                cta: Some(start_free()),
                background_image: None,
            },
            Block::Features {
                heading: "What it does for your business".into(),
                items: vec![
                    feature("A fast website", "Pages, a blog and a shop, themed in your colours, served fast and found by search engines."),
                    feature("A CMS your team enjoys", "Blocks you arrange, drafts, versions, scheduled publishing and a live preview."),
                    feature("Leads, not just visits", "Every form on your site lands in your contacts, with the page it came from."),
                    feature("AI agents that report", "Site checks, blog drafts and more, each waiting for your approval before it goes live."),
                ],
            },
            Block::Text {
                markdown: "## The live feed: see the work, not just the result\n\n\
                           Every task an agent does for you appears in your dashboard the moment \
                           it starts, with its progress and what came of it:\n\n\
                           - **Site check** — looked at 12 pages: 2 descriptions too short, a \
                           better one proposed for each\n\
                           - **Blog draft** — \"Five ways to keep your bread fresh\", waiting for \
                           your approval\n\
                           - **New lead** — Maria García via /contact\n\n\
                           Your own tools can report there too, through the agent API."
                    .into(),
            },
            Block::Features {
                heading: "One platform, three kinds of people".into(),
                items: vec![
                    feature("Your visitors", "get a quick, clear website that works on every phone, with no app to install."),
                    feature("You and your team", "get a dashboard with the live feed, your contacts, approvals and numbers that matter."),
                    feature("Your content editors", "get a CMS built for the site they edit, with everything saved as they type."),
                ],
            },
            Block::CallToAction {
                heading: "Your site, live in a minute".into(),
                text: "Free to start, no card needed. Bring your own domain when you are ready.".into(),
                link: start_free(),
            },
        ],
    }
}

fn features() -> PageContent {
    PageContent {
        title: "Features".into(),
        meta_description: "Everything BizOSaaS does: websites and shops, a block CMS, a CRM fed by \
                           your forms, AI agents with approvals, and a live activity feed."
            .into(),
        blocks: vec![
            Block::Hero {
                heading: "Everything your business needs online".into(),
                subheading: "One place for your site, your content, your customers and the AI \
                             agents that work on them."
                    .into(),
                cta: Some(start_free()),
                background_image: None,
            },
            Block::Features {
                heading: "Your website".into(),
                items: vec![
                    feature("Your colours and fonts", "A theme set in minutes, previewed before you save, checked for contrast."),
                    feature("Blog and shop", "Posts with tags and a feed; products with prices, pictures and a buy link."),
                    feature("Found by search engines", "Sitemaps, descriptions, structured data and fast pages on every site."),
                    feature("Your own domain", "Connect it when you are ready; we check it and keep it working."),
                ],
            },
            Block::Features {
                heading: "Your content".into(),
                items: vec![
                    feature("Blocks you arrange", "Heroes, text, features, testimonials, FAQs, galleries, product grids and forms."),
                    feature("Drafts and versions", "Save as you type, publish when ready, restore any earlier version."),
                    feature("Two editors, no lost work", "See who else is editing; a save that would overwrite is stopped."),
                    feature("A media library", "Upload once; every size is made for fast pages."),
                ],
            },
            Block::Features {
                heading: "Your AI team".into(),
                items: vec![
                    feature("Work you can watch", "Every task appears in the live feed as it starts, progresses and ends."),
                    feature("Nothing goes live unasked", "Drafts and changes wait for your approval."),
                    feature("Your own agents too", "Give a tool an API key and its work shows up in the same feed."),
                    feature("A weekly digest", "What your agents did, in your inbox every Monday."),
                ],
            },
            Block::CallToAction {
                heading: "See it on your own business".into(),
                text: "Sign up and your site is live in a minute.".into(),
                link: start_free(),
            },
        ],
    }
}

fn pricing() -> PageContent {
    let plans = PLANS
        .iter()
        .map(|plan| Feature {
            title: format!("{}: {}", plan.name, plan.price()),
            text: format!("{} {}.", plan.for_whom, plan.allowances().join(" · ")),
        })
        .collect();
    PageContent {
        title: "Pricing".into(),
        meta_description: "BizOSaaS plans: start free with one site and 1,000 AI calls a month; \
                           grow when your business does. No card needed to start."
            .into(),
        blocks: vec![
            Block::Hero {
                heading: "Start free, grow when you do".into(),
                subheading: "Every plan has the website, the CMS, the CRM and the live AI feed."
                    .into(),
                cta: Some(start_free()),
                background_image: None,
            },
            Block::Features {
                heading: "Plans".into(),
                items: plans,
            },
            Block::Faq {
                heading: "Questions".into(),
                items: vec![
                    FaqItem {
                        question: "Do I need a card to start?".into(),
                        answer: "No. The Free plan is free for as long as you like.".into(),
                    },
                    FaqItem {
                        question: "What is an AI call?".into(),
                        answer: "One request an agent makes to the language model, such as \
                                 writing a draft or proposing a description."
                            .into(),
                    },
                    FaqItem {
                        question: "Can I use my own domain?".into(),
                        answer: "Yes, on Growth and Pro. Until then your site lives at an \
                                 address of ours."
                            .into(),
                    },
                ],
            },
            Block::CallToAction {
                heading: "Try it on your business".into(),
                text: "Your site is live in a minute.".into(),
                link: start_free(),
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use app::cms::Content;

    #[test]
    fn every_marketing_page_can_be_published() {
        for (slug, page) in super::pages() {
            assert!(
                page.publish_problems().is_empty(),
                "/{slug}: {:?}",
                page.publish_problems()
            );
        }
    }
}
