//! The welcome wizard after sign-up (`/t/{slug}/dashboard/welcome`): what the business
//! sells and to whom, its kind and tone, its look, then "Build my site": a job that
//! writes the first pages, offers and a blog post draft, each step a task in the feed.
//! Skippable, and resumable: the answers are kept as they are given.

pub mod api;
#[cfg(feature = "ssr")]
pub mod builder;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::activity::AgentTask;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum BusinessKind {
    #[default]
    Services,
    Shop,
    Saas,
    Local,
}

impl BusinessKind {
    pub const ALL: [BusinessKind; 4] = [
        BusinessKind::Services,
        BusinessKind::Shop,
        BusinessKind::Saas,
        BusinessKind::Local,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BusinessKind::Services => "services",
            BusinessKind::Shop => "shop",
            BusinessKind::Saas => "saas",
            BusinessKind::Local => "local",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BusinessKind::Services => "Services (consulting, design, trades…)",
            BusinessKind::Shop => "A shop (things people buy)",
            BusinessKind::Saas => "Software (an app or SaaS)",
            BusinessKind::Local => "A local business (café, salon, studio…)",
        }
    }

    /// What the business's offers are called on its site.
    pub fn offers(self) -> &'static str {
        match self {
            BusinessKind::Shop => "Products",
            BusinessKind::Saas => "Plans",
            BusinessKind::Services | BusinessKind::Local => "Services",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    #[default]
    Friendly,
    Professional,
    Playful,
    Calm,
}

impl Tone {
    pub const ALL: [Tone; 4] = [
        Tone::Friendly,
        Tone::Professional,
        Tone::Playful,
        Tone::Calm,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Friendly => "friendly",
            Tone::Professional => "professional",
            Tone::Playful => "playful",
            Tone::Calm => "calm",
        }
    }
}

/// What the owner told the wizard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Answers {
    /// What the business sells or does, in the owner's words.
    pub offer: String,
    /// Who it is for.
    pub audience: String,
    pub kind: BusinessKind,
    pub tone: Tone,
}

pub const MAX_ANSWER_CHARS: usize = 300;

impl Answers {
    /// Every problem, as sentences; empty when the site can be built from them.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (answer, what) in [
            (&self.offer, "what your business sells or does"),
            (&self.audience, "who it is for"),
        ] {
            let length = answer.trim().chars().count();
            if length == 0 {
                problems.push(format!("Tell us {what}."));
            } else if length > MAX_ANSWER_CHARS {
                problems.push(format!("Keep {what} under {MAX_ANSWER_CHARS} characters."));
            }
        }
        problems
    }
}

/// Where a business is with its welcome wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Questions being answered (maybe none yet).
    Answering,
    Building,
    Built,
    Failed,
    Skipped,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Answering => "answering",
            Stage::Building => "building",
            Stage::Built => "built",
            Stage::Failed => "failed",
            Stage::Skipped => "skipped",
        }
    }

    pub fn parse(stored: &str) -> Option<Stage> {
        [
            Stage::Answering,
            Stage::Building,
            Stage::Built,
            Stage::Failed,
            Stage::Skipped,
        ]
        .into_iter()
        .find(|stage| stage.as_str() == stored)
    }
}

/// The wizard's state: the answers so far, the stage, the build's step tasks (in order)
/// and where the site lives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Onboarding {
    /// Whether the wizard was offered (after sign-up, or for another business).
    pub offered: bool,
    pub answers: Answers,
    pub stage: Stage,
    pub steps: Vec<AgentTask>,
    pub site_url: String,
}

/// The build's steps: (task type, what the feed calls it).
pub const STEPS: [(&str, &str); 6] = [
    ("build_home", "Home page"),
    ("build_about", "About page"),
    ("build_contact", "Contact page"),
    ("build_offers", "Products or services"),
    ("build_post", "First blog post draft"),
    ("publish_site", "Publishing"),
];

/// The job that builds the site: the step tasks it reports to, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildSite {
    pub steps: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_need_an_offer_and_an_audience() {
        let empty = Answers::default();
        assert_eq!(empty.problems().len(), 2);
        let answered = Answers {
            offer: "Sourdough bread".into(),
            audience: "Neighbours".into(),
            ..Answers::default()
        };
        assert!(answered.problems().is_empty());
        for stage in [
            Stage::Answering,
            Stage::Building,
            Stage::Built,
            Stage::Failed,
            Stage::Skipped,
        ] {
            assert_eq!(Stage::parse(stage.as_str()), Some(stage));
        }
    }
}
