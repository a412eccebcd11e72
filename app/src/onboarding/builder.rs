//! The site builder: from the wizard's answers, the words of a first site (by the
//! configured language model, or from templates, and saying which), then the home,
//! about and contact pages, three offers and a first blog post draft, each step a task
//! of the feed. Writing is by address, so building again replaces what it wrote.

use serde::Deserialize;

use super::{Answers, BuildSite, BusinessKind, Stage, Tone, STEPS};
use crate::activity::reporter::Reporter;
use crate::activity::store::TaskUpdate;
use crate::activity::TaskStatus;
use crate::cms::clip;
use crate::cms::store::Actor;
use crate::cms::{
    Block, Content, Feature, FieldKind, FormField, Link, PageContent, PostContent, ProductContent,
    Testimonial,
};
use crate::jobs::{Job, JobError};
use crate::server::{AppState, StoreError};
use crate::tenancy::{SiteSettings, Tenant};

/// The words of a first site: the model writes them, or the templates do.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SiteWords {
    pub tagline: String,
    pub intro: String,
    pub about: String,
    pub offers: Vec<Offer>,
    pub post_title: String,
    pub post_excerpt: String,
    pub post_body: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Offer {
    pub name: String,
    pub summary: String,
}

const SYSTEM: &str = "You write the first version of a small business's website. Answer with \
one JSON object and nothing else: {\"tagline\": a headline under 70 characters, \"intro\": \
one or two sentences under 200 characters, \"about\": two short paragraphs in Markdown about \
the business, \"offers\": exactly 3 objects {\"name\": under 60 characters, \"summary\": one \
sentence under 160 characters}, \"post_title\": a first blog post's title under 70 \
characters, \"post_excerpt\": one sentence, \"post_body\": the post in Markdown, 200 to 400 \
words}. Use the tone asked for. Invent no prices, quotes, awards or facts.";

pub async fn run(state: &AppState, job: &Job, build: &BuildSite) -> Result<(), JobError> {
    let tenant_id = job.tenant_id.as_deref().ok_or(JobError::Unaddressed {
        what: "The site builder",
    })?;
    let result = build_site(state, tenant_id, build).await;
    let stage = if result.is_ok() {
        Stage::Built
    } else {
        Stage::Failed
    };
    super::store::set_stage(&state.db, tenant_id, stage)
        .await
        .map_err(JobError::store("record the build"))?;
    if let Err(err) = &result {
        // The step that failed says why; the ones after it will not run.
        for task_id in &build.steps {
            let report = Reporter::for_task(state, tenant_id, task_id);
            let unfinished = crate::activity::store::tasks_by_ids(
                &state.db,
                tenant_id,
                std::slice::from_ref(task_id),
            )
            .await
            .map_err(JobError::store("read the steps"))?
            .first()
            .is_some_and(|t| matches!(t.status, TaskStatus::Pending | TaskStatus::Running));
            if unfinished {
                report
                    .update(TaskUpdate {
                        status: Some(TaskStatus::Failed),
                        error: Some(err.to_string()),
                        ..Default::default()
                    })
                    .await?;
            }
        }
    }
    result
}

async fn build_site(state: &AppState, tenant_id: &str, build: &BuildSite) -> Result<(), JobError> {
    let tenant = crate::tenancy::store::tenant_by_id(&state.db, tenant_id)
        .await
        .map_err(JobError::store("read the tenant"))?
        .ok_or_else(|| JobError::Failed("The business no longer exists.".into()))?;
    let (answers, _, _) = super::store::state(&state.db, tenant_id)
        .await
        .map_err(JobError::store("read the answers"))?
        .ok_or_else(|| JobError::Failed("The answers to build from are gone.".into()))?;
    if build.steps.len() != STEPS.len() {
        return Err(JobError::Failed("The build's steps cannot be read.".into()));
    }
    let step = |n: usize| Reporter::for_task(state, tenant_id, &build.steps[n]);

    let home_step = step(0);
    let (words, note) = match &state.llm {
        Some(model) => {
            home_step
                .progress(10, format!("Writing your site with {}…", model.model))
                .await?;
            match write_with_model(state, &tenant, &answers, model).await {
                Ok(words) => (words, format!("Written by {} from your answers.", model.model)),
                Err(reason) => {
                    tracing::warn!(%reason, "the language model's site could not be used");
                    (
                        template_words(&tenant.name, &answers),
                        format!("From templates: the language model's answer could not be used ({reason})."),
                    )
                }
            }
        }
        None => (
            template_words(&tenant.name, &answers),
            "From templates filled with your answers (no language model is configured): a start to edit, not finished writing.".to_string(),
        ),
    };
    let actor = Actor {
        user_id: None,
        name: "Site builder",
    };
    let offers_label = answers.kind.offers();

    home_step.progress(60, "Writing the home page…").await?;
    let home = home_page(&tenant.name, &answers, &words);
    let home_id = put(state, &tenant.id, actor, "", &home).await?;
    home_step
        .done(format!("Home page written. {note}"), None)
        .await?;

    let about = step(1);
    about.progress(50, "Writing the about page…").await?;
    let about_id = put(
        state,
        &tenant.id,
        actor,
        "about",
        &about_page(&tenant.name, &words),
    )
    .await?;
    about.done("About page written.", None).await?;

    let contact = step(2);
    contact.progress(50, "Writing the contact page…").await?;
    let contact_id = put(
        state,
        &tenant.id,
        actor,
        "contact",
        &contact_page(&tenant.name),
    )
    .await?;
    contact
        .done(
            "Contact page written, with a form that adds to your contacts.",
            None,
        )
        .await?;

    let offers = step(3);
    offers
        .progress(
            30,
            format!("Writing three {}…", offers_label.to_lowercase()),
        )
        .await?;
    for offer in &words.offers {
        let product = ProductContent {
            name: offer.name.clone(),
            summary: offer.summary.clone(),
            description: offer.summary.clone(),
            price: crate::cms::Money {
                minor_units: 0,
                currency: "USD".into(),
            },
            ..ProductContent::default()
        };
        put(
            state,
            &tenant.id,
            actor,
            &crate::cms::slugify(&offer.name),
            &product,
        )
        .await?;
    }
    offers
        .done(
            format!(
                "Three {} are drafts: add their prices in Content, then publish them.",
                offers_label.to_lowercase()
            ),
            None,
        )
        .await?;

    let post = step(4);
    post.progress(50, "Writing a first blog post…").await?;
    let draft = PostContent {
        title: words.post_title.clone(),
        excerpt: words.post_excerpt.clone(),
        body: words.post_body.clone(),
        author: tenant.name.clone(),
        ..PostContent::default()
    };
    put(
        state,
        &tenant.id,
        actor,
        &crate::cms::slugify(&words.post_title),
        &draft,
    )
    .await?;
    post.done(
        "A first blog post is waiting as a draft for you to read and publish.",
        None,
    )
    .await?;

    let publish = step(5);
    publish.progress(30, "Publishing the pages…").await?;
    for id in [&home_id, &about_id, &contact_id] {
        crate::cms::store::publish::<PageContent>(&state.db, &tenant.id, actor, id)
            .await
            .map_err(JobError::store("publish a page"))?;
    }
    let settings = SiteSettings {
        navigation: vec![
            link("Home", "/"),
            link("About", "/about"),
            link("Contact", "/contact"),
        ],
        footer_text: format!("© {}", tenant.name),
        ..SiteSettings::default()
    };
    crate::tenancy::store::update_site_settings(&state.db, &tenant.id, &settings)
        .await
        .map_err(JobError::store("set the navigation"))?;
    crate::signals::publish(&state.db, crate::signals::Signal::site(&tenant.id)).await;
    publish.done("Your site is live.", None).await?;
    Ok(())
}

/// Writes `content` at `slug`: a new document, or a new draft of the one there.
async fn put<C: Content>(
    state: &AppState,
    tenant_id: &str,
    actor: Actor<'_>,
    slug: &str,
    content: &C,
) -> Result<String, JobError> {
    let problems = content.problems();
    if !problems.is_empty() {
        return Err(JobError::Failed(format!(
            "The {} “{}” cannot be stored: {}",
            C::COLLECTION,
            content.title(),
            problems.join(" ")
        )));
    }
    let existing = crate::cms::store::documents::<C>(&state.db, tenant_id)
        .await
        .map_err(JobError::store("read the content"))?
        .into_iter()
        .find(|d| d.slug == slug);
    let written = match existing {
        Some(document) => {
            crate::cms::store::save_draft(
                &state.db,
                tenant_id,
                actor,
                &document.id,
                document.revision,
                content,
            )
            .await
        }
        None => crate::cms::store::create(&state.db, tenant_id, actor, slug, content, false).await,
    };
    written
        .map(|d| d.id)
        .map_err(|err: StoreError| JobError::store("store the content")(err))
}

fn link(label: &str, href: &str) -> Link {
    Link {
        label: label.into(),
        href: href.into(),
    }
}

fn contact_form(heading: &str) -> Block {
    let field = |kind, label: &str, required| FormField {
        kind,
        label: label.into(),
        required,
    };
    Block::ContactForm {
        heading: heading.into(),
        text: "Write to us and we will answer soon.".into(),
        fields: vec![
            field(FieldKind::Name, "Your name", true),
            field(FieldKind::Email, "Email", true),
            field(FieldKind::Message, "Message", true),
        ],
        submit_label: "Send".into(),
        thank_you: "Thank you! We will be in touch soon.".into(),
    }
}

fn home_page(name: &str, answers: &Answers, words: &SiteWords) -> PageContent {
    PageContent {
        title: name.to_string(),
        meta_description: clip(&format!("{name}: {}", words.intro), crate::cms::MAX_META_DESCRIPTION_CHARS),
        blocks: vec![
            Block::Hero {
                heading: words.tagline.clone(),
                subheading: words.intro.clone(),
                cta: Some(link("Get in touch", "/contact")),
                background_image: None,
            },
            Block::Features {
                heading: answers.kind.offers().to_string(),
                items: words
                    .offers
                    .iter()
                    .map(|o| Feature {
                        title: o.name.clone(),
                        text: o.summary.clone(),
                    })
                    .collect(),
            },
            Block::Testimonials {
                heading: "What people say".into(),
                items: vec![Testimonial {
                    quote: "PLACEHOLDER: replace this with a real quote from a customer, or remove this block.".into(),
                    author: "A customer (placeholder)".into(),
                    role: String::new(),
                }],
            },
            Block::CallToAction {
                heading: format!("Work with {name}"),
                text: clip(&format!("For {}.", answers.audience.trim()), 300),
                link: link("Contact us", "/contact"),
            },
            contact_form("Ask us anything"),
        ],
    }
}

fn about_page(name: &str, words: &SiteWords) -> PageContent {
    PageContent {
        title: format!("About {name}"),
        meta_description: clip(
            &format!("About {name}: {}", words.intro),
            crate::cms::MAX_META_DESCRIPTION_CHARS,
        ),
        blocks: vec![Block::Text {
            markdown: words.about.clone(),
        }],
    }
}

fn contact_page(name: &str) -> PageContent {
    PageContent {
        title: "Contact".into(),
        meta_description: format!("Get in touch with {name}."),
        blocks: vec![contact_form(&format!("Contact {name}"))],
    }
}

/// The words of a first site from the answers alone.
pub fn template_words(name: &str, answers: &Answers) -> SiteWords {
    let offer = answers.offer.trim();
    let audience = answers.audience.trim();
    let (tagline, closing) = match answers.tone {
        Tone::Friendly => (
            format!("{offer}, made with care"),
            "Say hello: we would love to hear from you.",
        ),
        Tone::Professional => (
            format!("{offer} you can rely on"),
            "Contact us to discuss what you need.",
        ),
        Tone::Playful => (
            format!("{offer}, but make it fun"),
            "Drop us a line: we promise to write back.",
        ),
        Tone::Calm => (
            format!("{offer}, simply done"),
            "Get in touch whenever you are ready.",
        ),
    };
    let kinds: [&str; 3] = match answers.kind {
        BusinessKind::Shop => ["Our bestseller", "Something new", "A gift idea"],
        BusinessKind::Saas => ["Starter", "Team", "Business"],
        BusinessKind::Services => [
            "A first consultation",
            "The full service",
            "Ongoing support",
        ],
        BusinessKind::Local => ["Our classic", "Seasonal special", "For groups"],
    };
    SiteWords {
        tagline: clip(&tagline, 70),
        intro: clip(&format!("{name} offers {offer} for {audience}."), 200),
        about: format!(
            "{name} offers {offer} for {audience}.\n\nThis is where you tell your story: how you \
             started, what you care about, and why people choose you. {closing}"
        ),
        offers: kinds
            .iter()
            .map(|kind| Offer {
                name: (*kind).to_string(),
                summary: clip(&format!("{kind}: {offer} for {audience}. Describe it in your own words."), 160),
            })
            .collect(),
        post_title: format!("Welcome to {name}"),
        post_excerpt: clip(&format!("Why we started {name}, and what comes next."), 160),
        post_body: format!(
            "## Hello!\n\nWelcome to the new website of {name}. We offer {offer} for {audience}.\n\n\
             ## What comes next\n\nWrite here what your readers should know first: what is new, \
             what you are proud of, and how to reach you. {closing}"
        ),
    }
}

async fn write_with_model(
    state: &AppState,
    tenant: &Tenant,
    answers: &Answers,
    model: &crate::server::LanguageModel,
) -> Result<SiteWords, String> {
    let prompt = format!(
        "Business: {}\nWhat it sells or does: {}\nFor whom: {}\nKind: {}\nTone: {}",
        tenant.name,
        answers.offer.trim(),
        answers.audience.trim(),
        answers.kind.label(),
        answers.tone.as_str()
    );
    let reply = crate::llm::chat(model, SYSTEM, &prompt).await?;
    crate::approvals::store::count_llm_call(
        &state.db,
        &tenant.id,
        reply.prompt_tokens,
        reply.completion_tokens,
    )
    .await
    .map_err(|e| format!("could not count the call: {e}"))?;
    words_from_reply(&reply.text)
}

/// The model's JSON, checked: three offers, nothing empty, lengths clipped.
pub fn words_from_reply(text: &str) -> Result<SiteWords, String> {
    let json = text
        .find('{')
        .zip(text.rfind('}'))
        .map(|(start, end)| &text[start..=end])
        .ok_or("the answer held no JSON")?;
    let mut words: SiteWords =
        serde_json::from_str(json).map_err(|e| format!("the answer's JSON did not fit: {e}"))?;
    words.offers.truncate(3);
    if words.offers.len() < 3 {
        return Err("the answer had fewer than three offers".into());
    }
    let texts = [
        &words.tagline,
        &words.intro,
        &words.about,
        &words.post_title,
        &words.post_body,
    ];
    if texts.iter().any(|t| t.trim().is_empty())
        || words.offers.iter().any(|o| o.name.trim().is_empty())
    {
        return Err("the answer left something empty".into());
    }
    words.tagline = clip(&words.tagline, 120);
    words.intro = clip(&words.intro, 300);
    words.post_title = clip(&words.post_title, 120);
    words.post_excerpt = clip(&words.post_excerpt, 300);
    for offer in &mut words.offers {
        offer.name = clip(&offer.name, 100);
        offer.summary = clip(&offer.summary, 300);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_every_part_from_the_answers() {
        let answers = Answers {
            offer: "Sourdough bread".into(),
            audience: "people in Leith".into(),
            kind: BusinessKind::Local,
            tone: Tone::Friendly,
        };
        let words = template_words("Joe's Bakery", &answers);
        assert_eq!(words.offers.len(), 3);
        assert!(words.intro.contains("Sourdough bread for people in Leith"));
        let home = home_page("Joe's Bakery", &answers, &words);
        assert!(home.problems().is_empty(), "{:?}", home.problems());
        assert!(home.publish_problems().is_empty());
        assert!(about_page("Joe's Bakery", &words)
            .publish_problems()
            .is_empty());
        assert!(contact_page("Joe's Bakery").publish_problems().is_empty());
    }

    #[test]
    fn a_model_reply_is_checked_and_clipped() {
        let reply = r#"Sure! {"tagline": "Bread", "intro": "Fresh daily.", "about": "We bake.",
            "offers": [{"name": "Loaf", "summary": "A loaf."}, {"name": "Roll", "summary": "A roll."},
            {"name": "Cake", "summary": "A cake."}, {"name": "Extra", "summary": "Too many."}],
            "post_title": "Hello", "post_excerpt": "Hi.", "post_body": "We opened."}"#;
        let words = words_from_reply(reply).unwrap();
        assert_eq!(words.offers.len(), 3);
        assert!(words_from_reply("no json here").is_err());
        assert!(words_from_reply(r#"{"tagline": "x"}"#).is_err());
    }
}
