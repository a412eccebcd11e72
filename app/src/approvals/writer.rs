//! The writer: drafts a blog post from a brief, with the configured language model or,
//! without one, from a template (and says which). The draft waits for approval.

use crate::approvals::store as proposals;
use crate::approvals::DraftPost;
use crate::cms::{Content, PostContent, MAX_META_DESCRIPTION_CHARS, MAX_TITLE_CHARS};
use crate::jobs::{Job, JobError};
use crate::server::AppState;

use crate::activity::reporter::Reporter;
use crate::llm;

const SYSTEM: &str = "You write blog posts for a small business's website. Answer with one JSON \
object and nothing else: {\"title\": a title under 70 characters, \"excerpt\": one or two \
sentences under 160 characters, \"body\": the post in Markdown (400 to 800 words, with \
## headings), \"tags\": up to 3 short tags}. Write plainly; invent no facts, prices or quotes.";

pub async fn run(state: &AppState, job: &Job, draft: &DraftPost) -> Result<(), JobError> {
    let report = Reporter::for_job(state, job, "The writer")?;
    let brief = draft.brief.as_str();
    if brief.trim().is_empty() {
        return Err(JobError::Failed("The writer was given no brief.".into()));
    }
    let tenant = crate::tenancy::store::tenant_by_id(&state.db, report.tenant_id)
        .await
        .map_err(JobError::store("read the tenant"))?
        .ok_or_else(|| JobError::Failed("The tenant no longer exists.".into()))?;
    let (post, note) = match &state.llm {
        Some(model) => {
            report
                .progress(10, format!("Writing with {}…", model.model))
                .await?;
            let prompt = format!("Business: {}\n\nBrief: {brief}", tenant.name);
            let reply = llm::chat(model, SYSTEM, &prompt)
                .await
                .map_err(JobError::Failed)?;
            proposals::count_llm_call(
                &state.db,
                &tenant.id,
                reply.prompt_tokens,
                reply.completion_tokens,
            )
            .await
            .map_err(JobError::store("count the call"))?;
            (
                from_reply(&reply.text, brief),
                format!("Written by {} from your brief.", model.model),
            )
        }
        None => (
            from_template(brief),
            "Drafted from a template (no language model is configured): a structure to write into, not finished writing.".to_string(),
        ),
    };
    let problems = post.problems();
    if !problems.is_empty() {
        return Err(JobError::Failed(format!(
            "The draft cannot be stored: {}",
            problems.join(" ")
        )));
    }
    let mut tx = state
        .db
        .pool
        .begin()
        .await
        .map_err(JobError::store("store the draft"))?;
    let change = crate::approvals::Change::PostDraft {
        post: post.clone(),
        publish: draft.publish,
    };
    let proposal = proposals::propose(
        &mut tx,
        &tenant.id,
        Some(report.task_id),
        &post.title,
        change,
        &note,
    )
    .await
    .map_err(JobError::store("store the draft"))?;
    tx.commit()
        .await
        .map_err(JobError::store("store the draft"))?;
    report
        .done(
            format!("Drafted “{}”: waiting for your approval.", post.title),
            Some(serde_json::json!({ "proposal_id": proposal.id })),
        )
        .await
}

/// The model was asked for JSON; a model that wrote prose instead still gives a draft
/// (its first line as the title).
pub fn from_reply(text: &str, brief: &str) -> PostContent {
    let json = text
        .find('{')
        .zip(text.rfind('}'))
        .and_then(|(start, end)| {
            serde_json::from_str::<serde_json::Value>(&text[start..=end]).ok()
        });
    let (title, excerpt, body, tags) = match json {
        Some(v) => (
            v["title"].as_str().unwrap_or_default().to_string(),
            v["excerpt"].as_str().unwrap_or_default().to_string(),
            v["body"].as_str().unwrap_or_default().to_string(),
            v["tags"]
                .as_array()
                .map(|t| {
                    t.iter()
                        .filter_map(|t| t.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        ),
        None => {
            let mut lines = text.trim().lines();
            let title = lines
                .next()
                .unwrap_or_default()
                .trim_start_matches('#')
                .trim()
                .to_string();
            (
                title,
                String::new(),
                lines.collect::<Vec<_>>().join("\n"),
                Vec::new(),
            )
        }
    };
    let title = if title.trim().is_empty() {
        brief.to_string()
    } else {
        title
    };
    let body = body.trim().to_string();
    let excerpt = if excerpt.trim().is_empty() {
        body.split("\n\n")
            .find(|p| !p.trim_start().starts_with('#') && !p.trim().is_empty())
            .unwrap_or_default()
            .to_string()
    } else {
        excerpt
    };
    PostContent {
        title: crate::cms::clip(&title, MAX_TITLE_CHARS),
        excerpt: crate::cms::clip(&excerpt, MAX_META_DESCRIPTION_CHARS),
        body,
        tags: tags
            .into_iter()
            .take(3)
            .map(|t| crate::cms::clip(&t, 40))
            .collect(),
        ..PostContent::default()
    }
}

/// Without a language model: a post structure built around the brief's subject, with
/// prompts for the writer, honest about what it is. The brief is not repeated back.
pub fn from_template(brief: &str) -> PostContent {
    let title = headline(brief);
    let subject = lowercase_first(&title);
    let body = format!(
        "*Draft from a template: replace each prompt with your own words.*\n\n\
         Open with the question your customers ask most about {subject}, and answer it in \
         one sentence.\n\n\
         ## Why it matters\n\n\
         Two or three sentences on what {subject} changes for the people you serve.\n\n\
         ## What we recommend\n\n\
         - The first thing to do, and why.\n\
         - The second thing, with an example from your own work.\n\
         - What to avoid.\n\n\
         ## How we can help\n\n\
         Say what you offer around {subject}, and how to reach you.\n"
    );
    PostContent {
        excerpt: crate::cms::clip(
            &format!("{title}: why it matters, what we recommend, and how we can help."),
            MAX_META_DESCRIPTION_CHARS,
        ),
        title,
        body,
        ..PostContent::default()
    }
}

/// Words that do not end a headline well.
const TRAILING_WORDS: [&str; 12] = [
    "a", "an", "and", "the", "of", "for", "to", "with", "on", "in", "or", "about",
];

/// A headline from a brief: its first clause, at most 60 characters, cut between words
/// (never with "…") and not ending on "and" or "the"; the first letter a capital.
pub fn headline(brief: &str) -> String {
    let first = brief
        .split(['.', ',', ';', ':', '!', '?', '\n', '—', '('])
        .map(str::trim)
        .find(|clause| !clause.is_empty())
        .unwrap_or("A new post");
    let mut words: Vec<&str> = Vec::new();
    for word in first.split_whitespace() {
        let length: usize = words.iter().map(|w| w.chars().count() + 1).sum();
        if length + word.chars().count() > 60 {
            break;
        }
        words.push(word);
    }
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| TRAILING_WORDS.contains(&w.to_lowercase().as_str()))
    {
        words.pop();
    }
    let line = if words.is_empty() {
        crate::cms::clip(first, 60)
    } else {
        words.join(" ")
    };
    let mut chars = line.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn lowercase_first(title: &str) -> String {
    let mut chars = title.chars();
    match (chars.next(), chars.clone().next()) {
        // "IT support" keeps its capitals; "Spring offers" reads "spring offers".
        (Some(c), Some(next)) if !next.is_uppercase() => c.to_lowercase().chain(chars).collect(),
        _ => title.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_reply_becomes_a_post_and_prose_still_does() {
        let post = from_reply(
            "Sure! {\"title\": \"Caring for anvils\", \"excerpt\": \"Oil twice a year.\", \"body\": \"## Oil\\n\\nTwice a year.\", \"tags\": [\"care\", \"anvils\", \"tips\", \"extra\"]}",
            "brief",
        );
        assert_eq!(post.title, "Caring for anvils");
        assert_eq!(post.excerpt, "Oil twice a year.");
        assert_eq!(post.tags, ["care", "anvils", "tips"]);
        assert!(post.problems().is_empty());
        let prose = from_reply("# Winter hours\n\nWe open at nine.\n\nMore text.", "brief");
        assert_eq!(prose.title, "Winter hours");
        assert_eq!(prose.excerpt, "We open at nine.");
        let long = from_reply(
            &format!("{{\"title\": \"{}\", \"body\": \"x\"}}", "word ".repeat(60)),
            "b",
        );
        assert!(long.title.chars().count() <= MAX_TITLE_CHARS && long.title.ends_with('…'));
    }

    #[test]
    fn the_template_says_what_it_is_and_does_not_echo_the_brief() {
        let brief =
            "Spring offers on garden anvils for hobby smiths, with tips on choosing the weight";
        let post = from_template(brief);
        assert!(post.body.starts_with("*Draft from a template"));
        assert_eq!(
            post.title,
            "Spring offers on garden anvils for hobby smiths"
        );
        assert!(!post.body.contains(brief) && !post.excerpt.contains(brief));
        assert!(post.body.contains("spring offers on garden anvils"));
        assert!(post.problems().is_empty());
    }

    #[test]
    fn headlines_are_short_whole_words() {
        let long = headline("write about how our team of certified technicians installs and maintains heat pumps for older homes in the valley");
        assert!(long.chars().count() <= 60, "{long}");
        assert!(
            !long.ends_with('…') && !long.ends_with(" and") && !long.ends_with(" for"),
            "{long}"
        );
        assert!(long.starts_with("Write about how our team"), "{long}");
        assert_eq!(headline("  \n"), "A new post");
    }
}
