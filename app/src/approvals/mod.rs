//! Human approval of what agents propose: a drafted post waits at
//! `/dashboard/approvals` until someone approves it (it becomes a CMS draft) or rejects
//! it with a reason. Both are events in the activity feed.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod writer;

use serde::{Deserialize, Serialize};

use crate::cms::PostContent;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    Pending,
    Approved,
    Rejected,
}

impl ProposalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Pending => "pending",
            ProposalStatus::Approved => "approved",
            ProposalStatus::Rejected => "rejected",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Pending, Self::Approved, Self::Rejected]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// A status as stored.
impl TryFrom<String> for ProposalStatus {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        Self::parse(&value).ok_or_else(|| format!("there is no proposal status {value:?}"))
    }
}

/// A proposed change as stored (JSON).
impl TryFrom<String> for Change {
    type Error = serde_json::Error;
    fn try_from(json: String) -> Result<Self, serde_json::Error> {
        serde_json::from_str(&json)
    }
}

/// What approving a proposal does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A new blog post: a draft, or published at once when `publish`.
    PostDraft { post: PostContent, publish: bool },
    /// A new meta description for a published page, published when approved.
    MetaDescription {
        page_id: String,
        path: String,
        before: String,
        after: String,
    },
}

impl Change {
    pub fn kind(&self) -> &'static str {
        match self {
            Change::PostDraft { .. } => "post_draft",
            Change::MetaDescription { .. } => "meta_description",
        }
    }
}

/// Something an agent proposes, waiting for a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Proposal {
    pub id: String,
    pub task_id: Option<String>,
    pub title: String,
    #[cfg_attr(feature = "ssr", sqlx(rename = "content", try_from = "String"))]
    pub change: Change,
    /// How it was made: "Written by llama3 from your brief", "Drafted from a template"...
    pub note: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub status: ProposalStatus,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    /// What approving made or changed (the post's or page's id).
    pub result_id: Option<String>,
    pub created_at: i64,
}

pub const MAX_REASON_CHARS: usize = 500;
pub const MAX_BRIEF_CHARS: usize = 2000;

/// The writer's job: draft a post from a brief, to wait for approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftPost {
    pub brief: String,
    /// Publish the post when it is approved (otherwise it becomes a draft).
    #[serde(default)]
    pub publish: bool,
}
