//! The client dashboard: the signed-in member's workspace, overview and activity.

pub mod api;
pub mod pages;

use serde::{Deserialize, Serialize};

use crate::auth::Member;
use crate::tenancy::Business;

/// The signed-in member, where their tenant's site lives, and the other businesses they
/// belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    pub member: Member,
    pub site_url: String,
    pub businesses: Vec<Business>,
}

impl Workspace {
    /// The address of `path` (`/cms/media`) in this workspace's business.
    pub fn href(&self, path: &str) -> String {
        crate::tenancy::address::within(&self.member.tenant_slug, path)
    }
}

/// The address of `path` in the business of the page being shown (signed-in pages only).
pub fn href(path: &str) -> String {
    leptos::prelude::expect_context::<Workspace>().href(path)
}
