//! The client dashboard: the signed-in member's workspace, overview and activity.

pub mod api;
pub mod pages;

use serde::{Deserialize, Serialize};

use crate::auth::Member;

/// The signed-in member and where their tenant's site lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    pub member: Member,
    pub site_url: String,
}
