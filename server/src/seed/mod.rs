//! The built-in platform tenant (always), and the demo tenants (on request, on an empty
//! database only).

mod marketing;
mod pictures;

use std::path::Path;

use pictures::Drawing;

use app::auth::{password, store as users};
use app::cms::{
    store as cms, Block, FaqItem, Feature, FieldKind, FormField, Image, Link, Money, PageContent,
    PostContent, ProductContent, Testimonial,
};
use app::media::{files, store as media, MediaFile};
use app::server::{Db, StoreError};
use app::tenancy::{store as tenants, Font, HexColor, Radius, Role, SiteSettings, Theme};

pub const PLATFORM_SLUG: &str = "www";

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("could not hash a password: {0}")]
    Password(String),
    #[error("could not write a demo picture: {0}")]
    Picture(String),
}

/// Creates the platform tenant and its marketing site the first time the server starts.
pub async fn ensure_platform(db: &Db) -> Result<(), SeedError> {
    if tenants::platform_tenant(db).await?.is_some() {
        return Ok(());
    }
    let theme = Theme {
        primary_color: HexColor::parse("#4f46e5").expect("valid colour"),
        body_font: Font::Sans,
        logo_text: "BizOSaaS".into(),
        ..Theme::default()
    };
    let platform =
        tenants::create_tenant(&db.pool, PLATFORM_SLUG, "BizOSaaS", true, &theme).await?;
    tenants::update_site_settings(db, &platform.id, &marketing::settings()).await?;
    for (slug, page) in marketing::pages() {
        cms::create(db, &platform.id, cms::Actor::PLATFORM, slug, &page, true).await?;
    }
    Ok(())
}

pub struct DemoOwner {
    pub tenant: &'static str,
    pub email: &'static str,
    pub password: &'static str,
}

/// The demo owners; their credentials are in the README.
pub const DEMO_OWNERS: [DemoOwner; 2] = [
    DemoOwner {
        tenant: "acme",
        email: "owner@acme.test",
        password: "acme-demo-2026",
    },
    DemoOwner {
        tenant: "globex",
        email: "owner@globex.test",
        password: "globex-demo-2026",
    },
];

/// Seeds acme and globex unless the database already has tenants besides the platform.
/// Returns whether it seeded. With a media folder, the demo products get pictures in the
/// tenants' media libraries (tests that do not look at them skip the drawing).
pub async fn demo(db: &Db, media_dir: Option<&Path>) -> Result<bool, SeedError> {
    ensure_platform(db).await?;
    if tenants::count_tenants(db).await? > 1 {
        return Ok(false);
    }
    let acme = Theme {
        primary_color: HexColor::parse("#e11d48").expect("valid colour"),
        body_font: Font::Serif,
        radius: Radius::Small,
        logo_text: "ACME".into(),
        ..Theme::default()
    };
    let globex = Theme {
        primary_color: HexColor::parse("#0f766e").expect("valid colour"),
        body_font: Font::Mono,
        heading_font: Some(Font::Sans),
        background_color: HexColor::parse("#f8fafc").expect("valid colour"),
        radius: Radius::Large,
        logo_text: "Globex".into(),
        ..Theme::default()
    };
    for (owner, name, theme, tagline) in [
        (
            &DEMO_OWNERS[0],
            "Acme Corporation",
            acme,
            "Anvils, rockets and roadrunner-grade gear since 1949.",
        ),
        (
            &DEMO_OWNERS[1],
            "Globex",
            globex,
            "Clean energy systems for a cleaner tomorrow.",
        ),
    ] {
        let tenant = tenants::create_tenant(&db.pool, owner.tenant, name, false, &theme).await?;
        let settings = SiteSettings {
            navigation: vec![
                Link {
                    label: "Home".into(),
                    href: "/".into(),
                },
                Link {
                    label: "About".into(),
                    href: "/about".into(),
                },
                Link {
                    label: "Blog".into(),
                    href: "/blog".into(),
                },
                Link {
                    label: "Products".into(),
                    href: "/products".into(),
                },
            ],
            footer_text: format!("© {name}. All rights reserved."),
            footer_links: vec![Link {
                label: "Contact".into(),
                href: format!("mailto:hello@{}.test", owner.tenant),
            }],
            ..SiteSettings::default()
        };
        tenants::update_site_settings(db, &tenant.id, &settings).await?;
        let hash =
            password::hash(owner.password).map_err(|e| SeedError::Password(e.to_string()))?;
        let user_id =
            users::create_user(&db.pool, owner.email, &format!("{name} Owner"), &hash).await?;
        users::mark_verified(&db.pool, &user_id).await?;
        users::add_membership(&db.pool, &tenant.id, &user_id, Role::Owner).await?;
        let home = PageContent {
            title: name.into(),
            meta_description: format!("{name}: {tagline} Visit us to see what we can do for you."),
            blocks: vec![
                Block::Hero {
                    heading: format!("Welcome to {name}"),
                    subheading: tagline.into(),
                    cta: Some(Link { label: "Learn about us".into(), href: "/about".into() }),
                    background_image: None,
                },
                Block::Text {
                    markdown: format!("## About us\n\n{name} has served customers for decades. **Quality** comes first."),
                },
                Block::Features {
                    heading: "Why customers choose us".into(),
                    items: vec![
                        Feature { title: "Built to last".into(), text: "Every product is tested before it leaves the workshop.".into() },
                        Feature { title: "Fast delivery".into(), text: "Orders ship the same day, anywhere in the country.".into() },
                        Feature { title: "People who answer".into(), text: "Call us and a person picks up, not a menu.".into() },
                    ],
                },
                Block::Testimonials {
                    heading: "What customers say".into(),
                    items: vec![
                        Testimonial { quote: "Exactly what we needed, on time.".into(), author: "Dana Ruiz".into(), role: "Operations lead".into() },
                        Testimonial { quote: "The support team solved it in one call.".into(), author: "Sam Okafor".into(), role: String::new() },
                    ],
                },
                Block::Faq {
                    heading: "Questions".into(),
                    items: vec![
                        FaqItem { question: "Do you ship abroad?".into(), answer: "Yes, to most countries within a week.".into() },
                        FaqItem { question: "Can I return a product?".into(), answer: "Within 30 days, no questions asked.".into() },
                    ],
                },
                Block::ProductGrid {
                    heading: "Popular products".into(),
                    products: Vec::new(),
                    count: 8,
                },
                Block::CallToAction {
                    heading: "Ready to talk?".into(),
                    text: "Tell us what you need and we will get back to you today.".into(),
                    link: Link { label: "Email us".into(), href: format!("mailto:hello@{}.test", owner.tenant) },
                },
                Block::ContactForm {
                    heading: "Get in touch".into(),
                    text: "Leave your details and we will reply within a day.".into(),
                    fields: vec![
                        FormField { kind: FieldKind::Name, label: "Your name".into(), required: true },
                        FormField { kind: FieldKind::Email, label: "Email".into(), required: true },
                        FormField { kind: FieldKind::Company, label: "Company".into(), required: false },
                        FormField { kind: FieldKind::Message, label: "How can we help?".into(), required: false },
                    ],
                    submit_label: "Send message".into(),
                    thank_you: format!("Thank you! Someone from {name} will reply within a day."),
                },
            ],
        };
        cms::create(db, &tenant.id, cms::Actor::PLATFORM, "", &home, true).await?;
        let about = PageContent {
            title: "About".into(),
            // Too short on purpose, so the demo site check has something to report.
            meta_description: "About us".into(),
            blocks: vec![Block::Text {
                markdown: format!("{name} is a family business."),
            }],
        };
        cms::create(db, &tenant.id, cms::Actor::PLATFORM, "about", &about, true).await?;
        let pricing = PageContent {
            title: "Pricing".into(),
            meta_description: String::new(),
            blocks: vec![Block::Text {
                markdown: "Prices are coming soon.".into(),
            }],
        };
        cms::create(
            db,
            &tenant.id,
            cms::Actor::PLATFORM,
            "pricing",
            &pricing,
            false,
        )
        .await?;
        for (slug, post) in demo_posts(name) {
            cms::create(db, &tenant.id, cms::Actor::PLATFORM, slug, &post, true).await?;
        }
        let products = if owner.tenant == "acme" {
            acme_products()
        } else {
            globex_products()
        };
        for (slug, drawing, mut product) in products {
            if let Some(media_dir) = media_dir {
                let alt = format!("{}: {}", product.name, product.summary);
                let file = picture(db, media_dir, &tenant.id, slug, drawing, &alt).await?;
                product.images.push(Image {
                    src: file.url(),
                    alt,
                });
            }
            cms::create(db, &tenant.id, cms::Actor::PLATFORM, slug, &product, true).await?;
        }
    }
    Ok(true)
}

fn demo_posts(name: &str) -> Vec<(&'static str, PostContent)> {
    let post = |title: &str, excerpt: &str, body: &str, tags: &[&str]| PostContent {
        title: title.into(),
        excerpt: excerpt.into(),
        body: body.into(),
        cover_image: None,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        author: format!("The {name} team"),
    };
    vec![
        (
            "welcome",
            post(
                &format!("Welcome to the {name} blog"),
                "What we will write about here, and how often.",
                "We will share news, guides and stories from the workshop **every month**.",
                &["News"],
            ),
        ),
        (
            "choosing-the-right-anvil",
            post(
                "Choosing the right anvil",
                "Weight, face and horn: what matters for your work.",
                "## Weight\n\nHeavier anvils absorb more of each blow.\n\n## Face\n\nA hardened face lasts decades.",
                &["Guides", "Anvils"],
            ),
        ),
        (
            "spring-sale",
            post(
                "Spring sale starts Monday",
                "Twenty percent off everything for one week.",
                "Our spring sale runs for a week. See the [products](/products).",
                &["News", "Sales"],
            ),
        ),
    ]
}

/// Draws a demo product's picture and keeps it in the tenant's media library, as an
/// upload would be: the PNG original and its WebP sizes.
async fn picture(
    db: &Db,
    media_dir: &Path,
    tenant_id: &str,
    slug: &str,
    drawing: Drawing,
    alt: &str,
) -> Result<MediaFile, SeedError> {
    let bytes = pictures::png(drawing);
    let inspected = files::inspect(&bytes).map_err(SeedError::Picture)?;
    let mut file = MediaFile {
        id: app::server::new_id(),
        filename: format!("{slug}.png"),
        content_type: inspected.content_type.to_string(),
        bytes: bytes.len() as i64,
        width: i64::from(inspected.width),
        height: i64::from(inspected.height),
        alt: alt.to_string(),
        variants: Vec::new(),
        created_at: app::server::now_ms(),
    };
    let folder = files::folder(media_dir, tenant_id, &file.id);
    std::fs::create_dir_all(&folder)
        .and_then(|()| {
            std::fs::write(
                folder.join(format!("original.{}", file.extension())),
                &bytes,
            )
        })
        .map_err(|e| SeedError::Picture(e.to_string()))?;
    file.variants = files::make_variants(&bytes, &folder).map_err(SeedError::Picture)?;
    media::insert(db, tenant_id, &file).await?;
    Ok(file)
}

fn product(name: &str, summary: &str, cents: i64, maker: &str, buy_url: &str) -> ProductContent {
    ProductContent {
        name: name.into(),
        summary: summary.into(),
        description: maker.into(),
        price: Money {
            minor_units: cents,
            currency: "USD".into(),
        },
        images: Vec::new(),
        buy_url: buy_url.into(),
    }
}

fn acme_products() -> Vec<(&'static str, Drawing, ProductContent)> {
    let acme = |name: &str, summary: &str, cents: i64| {
        let maker = "Made in our own workshop and tested before it ships.";
        product(name, summary, cents, maker, "mailto:orders@acme.test")
    };
    vec![
        (
            "classic-anvil",
            Drawing::Anvil,
            acme("Classic anvil", "A 50 kg forged steel anvil.", 129_900),
        ),
        (
            "rocket-skates",
            Drawing::RocketSkates,
            acme("Rocket skates", "Fast. Very fast.", 49_999),
        ),
        (
            "giant-magnet",
            Drawing::Magnet,
            acme("Giant magnet", "Holds anything iron.", 8_950),
        ),
        (
            "bird-seed",
            Drawing::BirdSeed,
            acme("Bird seed", "Irresistible to birds.", 499),
        ),
    ]
}

fn globex_products() -> Vec<(&'static str, Drawing, ProductContent)> {
    let globex = |name: &str, summary: &str, cents: i64| {
        let maker = "Installed by our own engineers, with a ten-year warranty.";
        product(name, summary, cents, maker, "mailto:sales@globex.test")
    };
    vec![
        (
            "rooftop-solar-kit",
            Drawing::SolarPanel,
            globex(
                "Rooftop solar kit",
                "Six panels that power a family home.",
                689_000,
            ),
        ),
        (
            "home-battery",
            Drawing::HomeBattery,
            globex("Home battery", "Keeps the lights on after sunset.", 425_000),
        ),
        (
            "garden-wind-turbine",
            Drawing::WindTurbine,
            globex(
                "Garden wind turbine",
                "Quiet power from a steady breeze.",
                159_900,
            ),
        ),
    ]
}
