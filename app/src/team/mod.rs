//! A business's team: its members and their roles, invitations by email, and the rules
//! that keep every business with an owner. Owners and admins manage; others see the list.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::tenancy::Role;

/// How long an invitation's link works.
pub const INVITE_VALID_MS: i64 = 7 * 24 * 3600 * 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TeamMember {
    pub user_id: String,
    pub name: String,
    pub email: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub role: Role,
    pub last_signed_in_at: Option<i64>,
    /// Since when they sign in with two-factor; None when they do not.
    pub two_factor_since: Option<i64>,
}

/// An invitation not yet accepted or revoked (it may have expired: it can be resent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Invitation {
    pub id: String,
    pub email: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub role: Role,
    pub invited_by: String,
    pub expires_at: i64,
    /// Whether the link had expired when the list was read.
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub expired: bool,
}

/// The team page: the members, and (for those who manage it) the pending invitations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub members: Vec<TeamMember>,
    pub invitations: Vec<Invitation>,
    /// Whether the owners require two-factor sign-in of every member.
    pub requires_two_factor: bool,
}

/// What the invitation page shows to the person who opened the link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationOffer {
    pub business: String,
    pub email: String,
    pub role: Role,
    pub invited_by: String,
    /// Whether someone already has an account with this address (they join; a new
    /// person chooses a name and a password).
    pub has_account: bool,
    /// The email of whoever is signed in in this browser, if anyone.
    pub signed_in_as: Option<String>,
}

/// Why `actor` may not invite someone as `role`; None when they may.
pub fn invite_problem(actor: Role, role: Role) -> Option<&'static str> {
    if !actor.allows(Role::Admin) {
        Some("Only owners and admins can invite people.")
    } else if role == Role::Owner && actor != Role::Owner {
        Some("Only an owner can make someone an owner.")
    } else {
        None
    }
}

/// Why `actor` may not change a member's role from `from` to `to`, with `owners` owners
/// in the business; None when they may.
pub fn role_change_problem(
    actor: Role,
    from: Role,
    to: Role,
    owners: usize,
) -> Option<&'static str> {
    if !actor.allows(Role::Admin) {
        Some("Only owners and admins can change roles.")
    } else if actor != Role::Owner && (from == Role::Owner || to == Role::Owner) {
        Some("Only an owner can make someone an owner, or change an owner's role.")
    } else if from == Role::Owner && to != Role::Owner && owners <= 1 {
        Some("A business needs an owner: make someone else owner first (or transfer ownership).")
    } else {
        None
    }
}

/// Why `actor` may not remove a member whose role is `target`; None when they may.
pub fn removal_problem(actor: Role, target: Role, owners: usize) -> Option<&'static str> {
    if !actor.allows(Role::Admin) {
        Some("Only owners and admins can remove members.")
    } else if target == Role::Owner && actor != Role::Owner {
        Some("Only an owner can remove an owner.")
    } else if target == Role::Owner && owners <= 1 {
        Some("A business needs an owner: the last one cannot be removed.")
    } else {
        None
    }
}

/// What a pending invitation's state reads as.
pub fn invitation_state(invitation: &Invitation) -> String {
    if invitation.expired {
        "expired; send it again".to_string()
    } else {
        format!(
            "link works until {}",
            crate::time::day_time_label(invitation.expires_at)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    #[test]
    fn only_owners_make_owners_and_a_business_keeps_one() {
        assert!(invite_problem(Admin, Editor).is_none());
        assert!(invite_problem(Admin, Owner).is_some());
        assert!(invite_problem(Owner, Owner).is_none());
        assert!(invite_problem(Editor, Viewer).is_some());

        assert!(role_change_problem(Admin, Editor, Admin, 1).is_none());
        assert!(role_change_problem(Admin, Editor, Owner, 1).is_some());
        assert!(role_change_problem(Admin, Owner, Editor, 2).is_some());
        assert!(role_change_problem(Owner, Owner, Admin, 1).is_some());
        assert!(role_change_problem(Owner, Owner, Admin, 2).is_none());
        assert!(role_change_problem(Editor, Viewer, Editor, 1).is_some());

        assert!(removal_problem(Admin, Editor, 1).is_none());
        assert!(removal_problem(Admin, Owner, 2).is_some());
        assert!(removal_problem(Owner, Owner, 1).is_some());
        assert!(removal_problem(Owner, Owner, 2).is_none());
        assert!(removal_problem(Viewer, Viewer, 1).is_some());
    }
}
