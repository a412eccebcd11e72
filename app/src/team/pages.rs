//! `/t/{slug}/dashboard/team`: the members and what owners and admins can do with them;
//! `/invite`: the page an invitation's link opens.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{
    load_team, open_invitation, AcceptInvitation, ChangeRole, Invite, RemoveMember,
    RequireTwoFactor, ResendInvitation, RevokeInvitation, TransferOwnership,
};
use super::{Invitation, InvitationOffer, TeamMember};
use crate::dashboard::Workspace;
use crate::tenancy::Role;
use crate::ui::{ButtonKind, Card, ErrorNotice, Loading, Toast};

const FIELD: &str = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 \
                     focus:outline-none focus:ring-2 focus:ring-indigo-500";

/// What each role may do, as the invite form explains it.
fn role_meaning(role: Role) -> &'static str {
    match role {
        Role::Viewer => "sees the dashboard and content, changes nothing",
        Role::Editor => "writes and publishes content",
        Role::Admin => "also manages the team, settings, domains and API keys",
        Role::Owner => "everything, including owners and ownership",
    }
}

/// The roles `actor` may give.
fn grantable(actor: Role) -> Vec<Role> {
    [Role::Viewer, Role::Editor, Role::Admin, Role::Owner]
        .into_iter()
        .filter(|role| super::invite_problem(actor, *role).is_none())
        .collect()
}

/// The words of a finished action: green when it worked, red with the reason if not.
fn outcome<T>(
    value: Option<Result<T, crate::error::AppError>>,
    done: impl Fn(&T) -> String,
) -> Option<(bool, String)> {
    match value? {
        Ok(value) => Some((false, done(&value))),
        Err(err) => Some((true, err.to_string())),
    }
}

#[component]
pub fn TeamPage() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let me = workspace.member.clone();
    let manages = me.role.allows(Role::Admin);
    let invite = ServerAction::<Invite>::new();
    let resend = ServerAction::<ResendInvitation>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let change_role = ServerAction::<ChangeRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let transfer = ServerAction::<TransferOwnership>::new();
    let require = ServerAction::<RequireTwoFactor>::new();
    // Any finished change reloads the list.
    let members = Resource::new(
        move || {
            (
                invite.version().get(),
                resend.version().get(),
                revoke.version().get(),
                change_role.version().get(),
                remove.version().get(),
                transfer.version().get(),
                require.version().get(),
            )
        },
        |_| load_team(),
    );
    let invited = Signal::derive(move || {
        outcome(invite.value().get(), |i: &Invitation| {
            format!("Invitation sent to {}.", i.email)
        })
    });
    let member_changed = Signal::derive(move || {
        outcome(change_role.value().get(), |_| "Role changed.".to_string())
            .or_else(|| {
                outcome(remove.value().get(), |_| {
                    "Removed from the team.".to_string()
                })
            })
            .or_else(|| {
                outcome(transfer.value().get(), |_| {
                    "Ownership handed over; you are an admin now.".to_string()
                })
            })
    });
    let invitation_changed = Signal::derive(move || {
        outcome(resend.value().get(), |i: &Invitation| {
            format!("Sent again to {}, with a new link.", i.email)
        })
        .or_else(|| outcome(revoke.value().get(), |_| "Invitation revoked.".to_string()))
    });
    let verified = me.email_verified_at.is_some();
    // A sent invitation empties the form for the next one.
    let invite_form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = invite.value().get() {
            if let Some(form) = invite_form.get_untracked() {
                form.reset();
            }
        }
    });
    let my_role = me.role;
    let my_id = me.user_id.clone();
    view! {
        <Title text="Team · BizOSaaS"/>
        <Card title="Team">
            {(!manages).then(|| view! {
                <p class="text-sm text-slate-600">"Only owners and admins can invite people or change roles."</p>
            })}
            <Toast message=member_changed testid="team-message"/>
            <Transition fallback=|| view! { <Loading what="the team"/> }>
                {move || {
                    let my_id = my_id.clone();
                    Suspend::new(async move {
                        match members.await {
                            Ok(team) => {
                                let owners = team.members.iter().filter(|m| m.role == Role::Owner).count();
                                view! {
                                    <ul class="mt-2 divide-y divide-slate-100" data-testid="members">
                                        {team.members.into_iter().map(|member| {
                                            let is_me = member.user_id == my_id;
                                            view! { <MemberRow member is_me my_role owners manages change_role remove transfer/> }
                                        }).collect_view()}
                                    </ul>
                                    {manages.then(|| view! { <Invitations invitations=team.invitations resend revoke message=invitation_changed/> })}
                                    <TwoFactorRule required=team.requires_two_factor my_role require/>
                                }.into_any()
                            }
                            Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </Card>
        {manages.then(|| view! {
            <Card title="Invite someone">
                {if verified {
                    view! {
                        <ActionForm action=invite node_ref=invite_form attr:class="flex flex-wrap items-end gap-3" attr:data-testid="invite-form">
                            <label class="block min-w-64 flex-1">
                                <span class="text-sm font-medium text-slate-700">"Email"</span>
                                <input type="email" name="email" required maxlength="254" autocomplete="off" class=FIELD/>
                            </label>
                            <label class="block">
                                <span class="text-sm font-medium text-slate-700">"Role"</span>
                                <select name="role" class=FIELD>
                                    {grantable(my_role).into_iter().map(|role| view! {
                                        <option value=role.as_str() selected=role == Role::Editor>
                                            {format!("{}: {}", role.as_str(), role_meaning(role))}
                                        </option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <button type="submit" class=ButtonKind::Primary.class() disabled=move || invite.pending().get()>
                                {move || if invite.pending().get() { "Sending…" } else { "Send invitation" }}
                            </button>
                        </ActionForm>
                        <p class="mt-2 text-sm text-slate-600">"They get an email with a link that works once, for seven days."</p>
                        <p class="mt-2"><Toast message=invited testid="invite-message"/></p>
                    }.into_any()
                } else {
                    view! {
                        <p class="text-sm text-slate-700">"Verify your email address first: open the link we sent you, or send it again from the banner above."</p>
                    }.into_any()
                }}
            </Card>
        })}
    }
}

/// One member: their role (a choice for those who may change it), last sign-in, and
/// removing them or handing them ownership behind a second click.
#[component]
fn MemberRow(
    member: TeamMember,
    is_me: bool,
    my_role: Role,
    owners: usize,
    manages: bool,
    change_role: ServerAction<ChangeRole>,
    remove: ServerAction<RemoveMember>,
    transfer: ServerAction<TransferOwnership>,
) -> impl IntoView {
    let confirming = RwSignal::new(None::<&'static str>);
    let user_id = member.user_id.clone();
    let shown = if member.name.is_empty() {
        member.email.clone()
    } else {
        member.name.clone()
    };
    let can_change = manages
        && [Role::Viewer, Role::Editor, Role::Admin, Role::Owner]
            .iter()
            .any(|to| {
                *to != member.role
                    && super::role_change_problem(my_role, member.role, *to, owners).is_none()
            });
    let can_remove = manages && super::removal_problem(my_role, member.role, owners).is_none();
    let can_transfer = my_role == Role::Owner && !is_me && member.role != Role::Owner;
    let last = member
        .last_signed_in_at
        .map_or_else(|| "never".to_string(), crate::time::day_time_label);
    let role_cell = if can_change {
        let user_id = user_id.clone();
        let current = member.role;
        view! {
            <select aria-label=format!("Role of {shown}") data-testid="member-role"
                class="rounded-md border border-slate-300 px-2 py-1 text-sm"
                on:change=move |ev| {
                    if let Some(role) = Role::parse(&event_target_value(&ev)) {
                        change_role.dispatch(ChangeRole { user_id: user_id.clone(), role });
                    }
                }>
                {[Role::Viewer, Role::Editor, Role::Admin, Role::Owner].into_iter()
                    .filter(|to| *to == current || super::role_change_problem(my_role, current, *to, owners).is_none())
                    .map(|role| view! { <option value=role.as_str() selected=role == current>{role.as_str()}</option> })
                    .collect_view()}
            </select>
        }
        .into_any()
    } else {
        view! { <span data-testid="member-role-text">{member.role.as_str()}</span> }.into_any()
    };
    let ask = move |what: &'static str| confirming.set(Some(what));
    let confirm = {
        let user_id = user_id.clone();
        move |_| {
            let user_id = user_id.clone();
            match confirming.get_untracked() {
                Some("remove") => {
                    remove.dispatch(RemoveMember { user_id });
                }
                Some("transfer") => {
                    transfer.dispatch(TransferOwnership { user_id });
                }
                _ => {}
            }
            confirming.set(None);
        }
    };
    let question = {
        let shown = shown.clone();
        move || match confirming.get() {
            Some("remove") => format!("Remove {shown} from the team?"),
            Some("transfer") => format!("Make {shown} the owner? You will be an admin."),
            _ => String::new(),
        }
    };
    view! {
        <li class="flex flex-wrap items-center gap-x-4 gap-y-2 py-3 text-sm" data-testid="member">
            <div class="min-w-48 flex-1">
                <span class="font-medium text-slate-900">{shown.clone()}</span>
                {is_me.then(|| view! { <span class="text-slate-500">" (you)"</span> })}
                <span class="block text-xs text-slate-500 break-all">{member.email.clone()}</span>
            </div>
            <div class="w-24">{role_cell}</div>
            <div class="text-slate-600">{format!("Last sign-in: {last}")}</div>
            <div class="text-slate-600" data-testid="member-two-factor">
                {if member.two_factor_since.is_some() { "Two-factor on" } else { "No two-factor" }}
            </div>
            {manages.then(|| view! {
                <div class="ml-auto text-right">
                    <Show when=move || confirming.get().is_some()
                        fallback=move || view! {
                            <span class="inline-flex gap-2">
                                {can_transfer.then(|| view! {
                                    <button type="button" class="text-sm text-indigo-700 hover:underline" on:click=move |_| ask("transfer")>"Make owner"</button>
                                })}
                                {can_remove.then(|| view! {
                                    <button type="button" class="text-sm text-red-700 hover:underline" on:click=move |_| ask("remove")>
                                        {if is_me { "Leave" } else { "Remove" }}
                                    </button>
                                })}
                            </span>
                        }>
                        <span class="inline-flex flex-wrap items-center justify-end gap-2" role="group" aria-label="Confirm">
                            <span class="text-sm text-slate-800">{question.clone()}</span>
                            <button type="button" class="text-sm font-medium text-red-700 hover:underline" data-testid="confirm" on:click=confirm.clone()>"Yes"</button>
                            <button type="button" class="text-sm text-slate-700 hover:underline" on:click=move |_| confirming.set(None)>"Cancel"</button>
                        </span>
                    </Show>
                </div>
            })}
        </li>
    }
}

/// Whether every member must sign in with two-factor: owners choose, others are told.
#[component]
fn TwoFactorRule(
    required: bool,
    my_role: Role,
    require: ServerAction<RequireTwoFactor>,
) -> impl IntoView {
    let failed = Signal::derive(move || {
        outcome(require.value().get(), |_| String::new()).filter(|(failed, _)| *failed)
    });
    let rule = if required {
        "Every member signs in with two-factor: those without it are asked to set it up before they can open this business."
    } else {
        "Members choose whether to sign in with two-factor."
    };
    view! {
        <h3 class="mt-6 text-sm font-semibold text-slate-700">"Two-factor sign-in"</h3>
        <p class="mt-1 text-sm text-slate-600" data-testid="two-factor-rule">{rule}</p>
        {(my_role == Role::Owner).then(|| view! {
            <div class="mt-2 flex flex-wrap items-center gap-3">
                <button type="button" class=ButtonKind::Secondary.class() data-testid="two-factor-rule-toggle"
                    disabled=move || require.pending().get()
                    on:click=move |_| { require.dispatch(RequireTwoFactor { required: !required }); }>
                    {if required { "Stop requiring two-factor" } else { "Require two-factor for every member" }}
                </button>
                <Toast message=failed testid="two-factor-rule-message"/>
            </div>
        })}
    }
}

#[component]
fn Invitations(
    invitations: Vec<Invitation>,
    resend: ServerAction<ResendInvitation>,
    revoke: ServerAction<RevokeInvitation>,
    message: Signal<Option<(bool, String)>>,
) -> impl IntoView {
    view! {
        <h3 class="mt-6 text-sm font-semibold text-slate-700">"Invitations waiting for an answer"</h3>
        <Toast message testid="invitation-message"/>
        {if invitations.is_empty() {
            view! { <p class="mt-2 text-sm text-slate-500" data-testid="no-invitations">"None. Invite someone below."</p> }.into_any()
        } else {
            view! {
                <ul class="mt-2 divide-y divide-slate-100" data-testid="invitations">
                    {invitations.into_iter().map(|invitation| {
                        let (again, gone) = (invitation.id.clone(), invitation.id.clone());
                        let state = super::invitation_state(&invitation);
                        view! {
                            <li class="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 text-sm" data-testid="invitation">
                                <span class="font-medium text-slate-900 break-all">{invitation.email.clone()}</span>
                                <span class="text-slate-600">{format!("as {}, invited by {}; {state}", invitation.role.as_str(), invitation.invited_by)}</span>
                                <span class="ml-auto inline-flex gap-3">
                                    <button type="button" class="text-indigo-700 hover:underline"
                                        on:click=move |_| { resend.dispatch(ResendInvitation { id: again.clone() }); }>"Send again"</button>
                                    <button type="button" class="text-red-700 hover:underline"
                                        on:click=move |_| { revoke.dispatch(RevokeInvitation { id: gone.clone() }); }>"Revoke"</button>
                                </span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

/// `/invite?token=...`: join the business, as the person one is or as someone new.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let offer = Resource::new(token, open_invitation);
    view! {
        <Title text="Your invitation · BizOSaaS"/>
        <main class="min-h-screen flex items-center justify-center bg-slate-50 px-4 py-10">
            <div class="w-full max-w-md">
                <a href="/" class="block text-center text-2xl font-bold text-slate-900 mb-6">"BizOSaaS"</a>
                <div class="bg-white rounded-xl shadow-sm border border-slate-200 p-6" data-testid="invitation-page">
                    <Suspense fallback=|| view! { <Loading what="your invitation"/> }>
                        {move || Suspend::new(async move {
                            match offer.await {
                                Ok(offer) => view! { <Offer offer token=token()/> }.into_any(),
                                Err(err) => view! {
                                    <h1 class="text-lg font-semibold text-slate-900 mb-2">"This invitation cannot be used"</h1>
                                    <ErrorNotice message=err.to_string()/>
                                    <p class="mt-4 text-sm text-slate-600">"Ask whoever invited you to send it again. "
                                        <a href="/login" class="text-indigo-700 underline">"Sign in"</a></p>
                                }.into_any(),
                            }
                        })}
                    </Suspense>
                </div>
            </div>
        </main>
    }
}

#[component]
fn Offer(offer: InvitationOffer, token: String) -> impl IntoView {
    let accept = ServerAction::<AcceptInvitation>::new();
    let error = move || match accept.value().get() {
        Some(Err(err)) => Some(err.to_string()),
        _ => None,
    };
    let heading = format!("Join {}", offer.business);
    let who = format!(
        "{} invited {} to work on {} as {} ({}).",
        offer.invited_by,
        offer.email,
        offer.business,
        offer.role.as_str(),
        role_meaning(offer.role)
    );
    let body = match (&offer.signed_in_as, offer.has_account) {
        (Some(me), true) if *me == offer.email => view! {
            <ActionForm action=accept attr:class="space-y-4">
                <input type="hidden" name="token" value=token.clone()/>
                <button type="submit" class=format!("{} w-full", ButtonKind::Primary.class()) disabled=move || accept.pending().get()>
                    {format!("Join {}", offer.business)}
                </button>
            </ActionForm>
        }
        .into_any(),
        (Some(me), _) => view! {
            <p class="text-sm text-slate-700">
                {format!("You are signed in as {me}. Sign out, then open the link again to accept as {}.", offer.email)}
            </p>
            <form method="post" action="/logout" class="mt-4">
                <button type="submit" class=ButtonKind::Secondary.class()>"Sign out"</button>
            </form>
        }
        .into_any(),
        (None, true) => {
            let back = format!("/invite?token={token}");
            let next: String = js_sys::encode_uri_component(&back).into();
            view! {
                <p class="text-sm text-slate-700">{format!("There is an account for {} already: sign in to accept.", offer.email)}</p>
                <a href=format!("/login?next={next}") rel="external" class=format!("{} mt-4 w-full", ButtonKind::Primary.class())>"Sign in to accept"</a>
            }
            .into_any()
        }
        (None, false) => view! {
            <ActionForm action=accept attr:class="space-y-4">
                <input type="hidden" name="token" value=token.clone()/>
                <p class="text-sm text-slate-700">{format!("Choose your name and a password; you will sign in with {}.", offer.email)}</p>
                <label class="block">
                    <span class="text-sm font-medium text-slate-700">"Your name"</span>
                    <input type="text" name="name" required maxlength="100" autocomplete="name" autofocus class=FIELD/>
                </label>
                <label class="block">
                    <span class="text-sm font-medium text-slate-700">"Password"</span>
                    <input type="password" name="password" required autocomplete="new-password"
                        minlength=crate::accounts::MIN_PASSWORD_CHARS.to_string() class=FIELD/>
                    <span class="mt-1 block text-xs text-slate-500">{format!("At least {} characters; a few unrelated words work well.", crate::accounts::MIN_PASSWORD_CHARS)}</span>
                </label>
                <button type="submit" class=format!("{} w-full", ButtonKind::Primary.class()) disabled=move || accept.pending().get()>
                    {move || if accept.pending().get() { "Joining…" } else { "Join" }}
                </button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <h1 class="text-lg font-semibold text-slate-900">{heading}</h1>
        <p class="mt-1 mb-4 text-sm text-slate-600">{who}</p>
        {body}
        <Show when=move || error().is_some()>
            <p role="alert" class="mt-4 text-sm text-red-700 bg-red-50 rounded-md px-3 py-2">{error}</p>
        </Show>
    }
}
