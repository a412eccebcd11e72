//! SQL for teams and invitations. Every change is one transaction with its entry in the
//! tenant's audit log; changes to roles first lock the tenant's row, so two owners
//! demoting each other at once cannot leave the business without one.

use sqlx::AnyConnection;

use super::{Invitation, Team, TeamMember, INVITE_VALID_MS};
use crate::accounts::links::LinkProblem;
use crate::auth::Member;
use crate::server::{new_id, now_ms, Db, StoreError};
use crate::tenancy::Role;

/// A `TeamMember` row, from memberships `m` of the business `$1`.
const MEMBERS: &str = "select u.id as user_id, u.name, u.email, m.role, u.last_signed_in_at, \
     f.confirmed_at as two_factor_since \
     from memberships m join users u on u.id = m.user_id \
     left join two_factor f on f.user_id = u.id and f.confirmed_at is not null \
     where m.tenant_id = $1";

/// The members by name, and the pending invitations when `with_invitations`.
pub async fn team(db: &Db, tenant_id: &str, with_invitations: bool) -> Result<Team, StoreError> {
    let members: Vec<TeamMember> =
        sqlx::query_as(&format!("{MEMBERS} order by lower(u.name), u.email"))
            .bind(tenant_id)
            .fetch_all(&db.pool)
            .await?;
    let invitations = if with_invitations {
        let now = now_ms();
        let mut invitations: Vec<Invitation> = sqlx::query_as(
            "select id, email, role, invited_by, expires_at from invitations \
             where tenant_id = $1 and accepted_at is null and revoked_at is null \
             order by created_at desc",
        )
        .bind(tenant_id)
        .fetch_all(&db.pool)
        .await?;
        for invitation in &mut invitations {
            invitation.expired = invitation.expires_at < now;
        }
        invitations
    } else {
        Vec::new()
    };
    let requires_two_factor: i64 =
        sqlx::query_scalar("select require_two_factor from tenants where id = $1")
            .bind(tenant_id)
            .fetch_one(&db.pool)
            .await?;
    Ok(Team {
        members,
        invitations,
        requires_two_factor: requires_two_factor != 0,
    })
}

/// Requires (or stops requiring) two-factor sign-in of every member. Only an owner who
/// signs in with it may require it, so nobody requires what they could not do.
pub async fn require_two_factor(db: &Db, actor: &Member, required: bool) -> Result<(), StoreError> {
    if actor.role != Role::Owner {
        return Err(StoreError::Invalid(
            "Only an owner can change what members need to sign in.".into(),
        ));
    }
    if required && !crate::two_factor::store::is_on(db, &actor.user_id).await? {
        return Err(StoreError::Invalid(
            "Turn on two-factor sign-in for yourself first (on your account page).".into(),
        ));
    }
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "update tenants set require_two_factor = $2 where id = $1 and require_two_factor <> $2",
    )
    .bind(&actor.tenant_id)
    .bind(i64::from(required))
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 1 {
        let (action, title) = if required {
            (
                "two-factor required",
                "every member signs in with two-factor",
            )
        } else {
            (
                "two-factor optional",
                "members choose whether to use two-factor",
            )
        };
        audit(&mut tx, actor, action, &actor.tenant_id, title).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Invites `email` as `role`; refused when they are a member or invited already.
pub async fn invite(
    db: &Db,
    actor: &Member,
    email: &str,
    role: Role,
    token_hash: &str,
) -> Result<Invitation, StoreError> {
    let mut tx = db.begin().await?;
    let members: i64 = sqlx::query_scalar(
        "select count(*) from memberships m join users u on u.id = m.user_id \
         where m.tenant_id = $1 and u.email = $2",
    )
    .bind(&actor.tenant_id)
    .bind(email)
    .fetch_one(&mut *tx)
    .await?;
    if members > 0 {
        return Err(StoreError::Conflict(format!(
            "{email} is a member of this business already."
        )));
    }
    let now = now_ms();
    let pending: i64 = sqlx::query_scalar(
        "select count(*) from invitations where tenant_id = $1 and email = $2 \
         and accepted_at is null and revoked_at is null",
    )
    .bind(&actor.tenant_id)
    .bind(email)
    .fetch_one(&mut *tx)
    .await?;
    if pending > 0 {
        return Err(StoreError::Conflict(format!(
            "{email} is invited already: send the invitation again from the list below."
        )));
    }
    let invitation = Invitation {
        id: new_id(),
        email: email.to_string(),
        role,
        invited_by: actor.display_name().to_string(),
        expires_at: now + INVITE_VALID_MS,
        expired: false,
    };
    sqlx::query(
        "insert into invitations (id, tenant_id, email, role, token_hash, invited_by, \
         created_at, expires_at) values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&invitation.id)
    .bind(&actor.tenant_id)
    .bind(email)
    .bind(role.as_str())
    .bind(token_hash)
    .bind(&invitation.invited_by)
    .bind(now)
    .bind(invitation.expires_at)
    .execute(&mut *tx)
    .await?;
    let title = format!("{email} as {}", role.as_str());
    audit(&mut tx, actor, "invited", &invitation.id, &title).await?;
    tx.commit().await?;
    Ok(invitation)
}

/// A pending invitation with a new link (the old one stops working) valid seven days
/// from now.
pub async fn renew(
    db: &Db,
    actor: &Member,
    id: &str,
    token_hash: &str,
) -> Result<Invitation, StoreError> {
    let mut tx = db.begin().await?;
    let expires_at = now_ms() + INVITE_VALID_MS;
    let changed = sqlx::query(
        "update invitations set token_hash = $3, expires_at = $4 where tenant_id = $1 \
         and id = $2 and accepted_at is null and revoked_at is null",
    )
    .bind(&actor.tenant_id)
    .bind(id)
    .bind(token_hash)
    .bind(expires_at)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() == 0 {
        return Err(StoreError::NotFound("The invitation".into()));
    }
    let invitation: Invitation = sqlx::query_as(
        "select id, email, role, invited_by, expires_at from invitations where id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let title = format!("{} as {}", invitation.email, invitation.role.as_str());
    audit(&mut tx, actor, "invitation resent", id, &title).await?;
    tx.commit().await?;
    Ok(invitation)
}

pub async fn revoke(db: &Db, actor: &Member, id: &str) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let email: Option<String> = sqlx::query_scalar(
        "select email from invitations where tenant_id = $1 and id = $2 \
         and accepted_at is null and revoked_at is null",
    )
    .bind(&actor.tenant_id)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let email = email.ok_or_else(|| StoreError::NotFound("The invitation".into()))?;
    sqlx::query("update invitations set revoked_at = $2 where id = $1")
        .bind(id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    audit(&mut tx, actor, "invitation revoked", id, &email).await?;
    tx.commit().await?;
    Ok(())
}

/// An invitation as its link finds it.
#[derive(sqlx::FromRow)]
pub struct InvitationRow {
    pub id: String,
    pub tenant_id: String,
    pub business: String,
    pub slug: String,
    pub email: String,
    pub role: String,
    pub invited_by: String,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl InvitationRow {
    /// Why the link cannot be used now, as the page says it; None when it can.
    pub fn problem(&self, now: i64) -> Option<&'static str> {
        if self.revoked_at.is_some() {
            Some("This invitation was withdrawn. Ask whoever invited you for a new one.")
        } else if self.accepted_at.is_some() {
            Some(LinkProblem::Used.sentence())
        } else if self.expires_at < now {
            Some("This invitation has expired. Ask whoever invited you to send it again.")
        } else {
            None
        }
    }
}

pub async fn by_token(db: &Db, token_hash: &str) -> Result<Option<InvitationRow>, StoreError> {
    Ok(sqlx::query_as(
        "select i.id, i.tenant_id, t.name as business, t.slug, i.email, i.role, i.invited_by, \
         i.expires_at, i.accepted_at, i.revoked_at \
         from invitations i join tenants t on t.id = i.tenant_id where i.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await?)
}

/// Who accepts an invitation: someone with an account (signed in as the invited address)
/// or a new person, whose address the link has just proved.
pub enum Joiner<'a> {
    Existing {
        user_id: &'a str,
        name: &'a str,
    },
    New {
        name: &'a str,
        password_hash: &'a str,
    },
}

/// Spends the invitation and makes the person a member, in one transaction; only once,
/// even when two clicks race. Returns the user's id.
pub async fn accept(
    db: &Db,
    invitation: &InvitationRow,
    joiner: Joiner<'_>,
) -> Result<Result<String, &'static str>, StoreError> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let spent = sqlx::query(
        "update invitations set accepted_at = $2 where id = $1 and accepted_at is null \
         and revoked_at is null and expires_at >= $2",
    )
    .bind(&invitation.id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if spent.rows_affected() == 0 {
        return Ok(Err(invitation
            .problem(now)
            .unwrap_or(LinkProblem::Used.sentence())));
    }
    let (user_id, name) = match joiner {
        Joiner::Existing { user_id, name } => (user_id.to_string(), name.to_string()),
        Joiner::New {
            name,
            password_hash,
        } => {
            let user_id =
                crate::auth::store::create_user(&mut *tx, &invitation.email, name, password_hash)
                    .await
                    .map_err(|err| match err {
                        StoreError::Conflict(_) => StoreError::Conflict(format!(
                            "There is an account for {} already: sign in to accept.",
                            invitation.email
                        )),
                        err => err,
                    })?;
            crate::auth::store::mark_verified(&mut *tx, &user_id).await?;
            (user_id, name.to_string())
        }
    };
    let role = Role::parse(&invitation.role)
        .ok_or_else(|| StoreError::Corrupt(format!("role {:?}", invitation.role)))?;
    crate::auth::store::add_membership(&mut *tx, &invitation.tenant_id, &user_id, role)
        .await
        .map_err(|err| match err {
            err if err.is_unique_violation() => {
                StoreError::Conflict("You are a member of this business already.".into())
            }
            err => err,
        })?;
    let title = format!("{} as {}", invitation.email, role.as_str());
    write_audit(
        &mut tx,
        &invitation.tenant_id,
        Some(&user_id),
        &name,
        "joined",
        &user_id,
        &title,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(user_id))
}

/// The member's role and how many owners the business has, inside the caller's
/// transaction, after locking the tenant's row (see the module's comment).
async fn role_and_owners(
    conn: &mut AnyConnection,
    tenant_id: &str,
    user_id: &str,
) -> Result<(TeamMember, usize), StoreError> {
    sqlx::query("update tenants set name = name where id = $1")
        .bind(tenant_id)
        .execute(&mut *conn)
        .await?;
    let member: Option<TeamMember> = sqlx::query_as(&format!("{MEMBERS} and m.user_id = $2"))
        .bind(tenant_id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    let member = member.ok_or_else(|| StoreError::NotFound("That member".into()))?;
    let owners: i64 = sqlx::query_scalar(
        "select count(*) from memberships where tenant_id = $1 and role = 'owner'",
    )
    .bind(tenant_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok((member, usize::try_from(owners).unwrap_or(0)))
}

async fn set_role(
    conn: &mut AnyConnection,
    tenant_id: &str,
    user_id: &str,
    role: Role,
) -> Result<(), StoreError> {
    sqlx::query("update memberships set role = $3 where tenant_id = $1 and user_id = $2")
        .bind(tenant_id)
        .bind(user_id)
        .bind(role.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn change_role(
    db: &Db,
    actor: &Member,
    user_id: &str,
    role: Role,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let (member, owners) = role_and_owners(&mut tx, &actor.tenant_id, user_id).await?;
    if member.role == role {
        return Ok(());
    }
    if let Some(problem) = super::role_change_problem(actor.role, member.role, role, owners) {
        return Err(StoreError::Invalid(problem.into()));
    }
    set_role(&mut tx, &actor.tenant_id, user_id, role).await?;
    let title = format!(
        "{} from {} to {}",
        shown(&member),
        member.role.as_str(),
        role.as_str()
    );
    audit(&mut tx, actor, "role changed", user_id, &title).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove(db: &Db, actor: &Member, user_id: &str) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let (member, owners) = role_and_owners(&mut tx, &actor.tenant_id, user_id).await?;
    if let Some(problem) = super::removal_problem(actor.role, member.role, owners) {
        return Err(StoreError::Invalid(problem.into()));
    }
    sqlx::query("delete from memberships where tenant_id = $1 and user_id = $2")
        .bind(&actor.tenant_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let title = format!("{} ({})", shown(&member), member.role.as_str());
    audit(&mut tx, actor, "removed", user_id, &title).await?;
    tx.commit().await?;
    Ok(())
}

/// Makes the member the owner and the actor (an owner) an admin.
pub async fn transfer(db: &Db, actor: &Member, user_id: &str) -> Result<(), StoreError> {
    if actor.role != Role::Owner {
        return Err(StoreError::Invalid(
            "Only an owner can hand over ownership.".into(),
        ));
    }
    if actor.user_id == user_id {
        return Err(StoreError::Invalid("You own this business already.".into()));
    }
    let mut tx = db.begin().await?;
    let (member, _) = role_and_owners(&mut tx, &actor.tenant_id, user_id).await?;
    set_role(&mut tx, &actor.tenant_id, user_id, Role::Owner).await?;
    set_role(&mut tx, &actor.tenant_id, &actor.user_id, Role::Admin).await?;
    let title = format!("to {}", shown(&member));
    audit(&mut tx, actor, "ownership transferred", user_id, &title).await?;
    tx.commit().await?;
    Ok(())
}

fn shown(member: &TeamMember) -> &str {
    if member.name.is_empty() {
        &member.email
    } else {
        &member.name
    }
}

async fn audit(
    conn: &mut AnyConnection,
    actor: &Member,
    action: &str,
    subject_id: &str,
    title: &str,
) -> Result<(), StoreError> {
    write_audit(
        conn,
        &actor.tenant_id,
        Some(&actor.user_id),
        actor.display_name(),
        action,
        subject_id,
        title,
    )
    .await
}

/// A team entry of the tenant's audit log (beside the CMS's document entries).
async fn write_audit(
    conn: &mut AnyConnection,
    tenant_id: &str,
    user_id: Option<&str>,
    user_name: &str,
    action: &str,
    subject_id: &str,
    title: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "insert into audit_log (tenant_id, id, at, user_id, user_name, action, collection, \
         document_id, title) values ($1, $2, $3, $4, $5, $6, 'team', $7, $8)",
    )
    .bind(tenant_id)
    .bind(new_id())
    .bind(now_ms())
    .bind(user_id)
    .bind(user_name)
    .bind(action)
    .bind(subject_id)
    .bind(title)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
