//! What the editors of pages, posts and products share: how a save or publish is
//! reported, autosave, the list of problems, and the bar of buttons under the editor.

use leptos::prelude::*;

use crate::cms::api::{SchedulePublish, Unpublish};
use crate::cms::{Collection, Status};
use crate::error::AppError;
use crate::ui::{Button, ButtonKind, Debounce, Toast};

/// The message under the editor: whether it is an error, and the words.
pub(super) type Notice = RwSignal<Option<(bool, String)>>;

/// After a save or publish: the stored document becomes the editor's `saved` copy; a
/// refusal because someone else saved first opens the conflict notice; any other
/// failure is said in the notice. `failed` says whether the last one failed, so leaving
/// asks first instead of trusting a save that is likely to fail again.
pub(super) fn report_result<T>(
    result: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    done: &'static str,
    saved: RwSignal<T>,
    notice: Notice,
    conflict: RwSignal<Option<String>>,
    failed: RwSignal<bool>,
) where
    T: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        let outcome = result.get();
        if let Some(outcome) = &outcome {
            failed.set(outcome.is_err());
        }
        match outcome {
            Some(Ok(document)) => {
                saved.set(document);
                notice.set(Some((false, done.to_string())));
            }
            Some(Err(AppError::Conflict(message))) => conflict.set(Some(message)),
            Some(Err(AppError::NotSignedIn)) => notice.set(Some((
                true,
                "Your session has ended, so this was not saved. Sign in again in a new tab, then save here: your changes are still on this screen.".to_string(),
            ))),
            Some(Err(err)) => notice.set(Some((true, err.to_string()))),
            None => {}
        }
    });
}

/// Saves two seconds after the last change while `wanted` (the member may save a changed
/// draft, no conflict is open), the draft is valid and no save is under way.
pub(super) fn autosave(
    wanted: impl Fn() -> bool + Send + Sync + 'static,
    saving: impl Get<Value = bool> + Send + Sync + 'static,
    problems: Memo<Vec<String>>,
    save_now: impl Fn() + Copy + 'static,
) {
    let later = Debounce::new(std::time::Duration::from_secs(2));
    Effect::new(move |_| {
        if wanted() && !saving.get() && problems.with(Vec::is_empty) {
            later.run(save_now);
        } else {
            later.cancel();
        }
    });
}

/// Says "not saved" with the reasons when there are problems; true when there are none.
pub(super) fn ready_to_save(problems: Memo<Vec<String>>, notice: Notice) -> bool {
    // The server would refuse it for the same reasons; say them without asking it.
    let problems = problems.get_untracked();
    if !problems.is_empty() {
        notice.set(Some((
            true,
            format!("Not saved yet: {}", problems.join(" ")),
        )));
    }
    problems.is_empty()
}

/// Says what the document still needs before visitors can see it; true when nothing.
/// The server checks the same and refuses otherwise.
pub(super) fn ready_to_publish(missing: Vec<String>, notice: Notice) -> bool {
    if !missing.is_empty() {
        notice.set(Some((
            true,
            format!("Not published yet: {}", missing.join(" ")),
        )));
    }
    missing.is_empty()
}

/// What stops the draft from being saved, from the same validation the server runs.
#[component]
pub(super) fn ProblemsBox(problems: Memo<Vec<String>>) -> impl IntoView {
    view! {
        <Show when=move || problems.with(|p| !p.is_empty())>
            <div role="status" data-testid="problems" class="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
                <p class="font-medium">"Fix these before it can be saved:"</p>
                <ul class="mt-1 list-disc pl-5">{move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            </div>
        </Show>
    }
}

/// Save, publish, unpublish and schedule, with what the last of them did. Sits inside
/// the editor's form: "Save draft" submits it.
#[component]
pub(super) fn EditorBar(
    collection: Collection,
    id: String,
    can_edit: bool,
    #[prop(into)] saving: Signal<bool>,
    #[prop(into)] publishing: Signal<bool>,
    #[prop(into)] dirty: Signal<bool>,
    #[prop(into)] status: Signal<Status>,
    on_publish: Callback<()>,
    /// The document changed on the server (unpublished): the editor reads it again.
    on_changed: Callback<()>,
    notice: Notice,
) -> impl IntoView {
    let id = StoredValue::new(id);
    let unpublish = ServerAction::<Unpublish>::new();
    let schedule = ServerAction::<SchedulePublish>::new();
    let noun = collection.noun();
    Effect::new(move |_| match unpublish.value().get() {
        Some(Ok(())) => {
            notice.set(Some((
                false,
                format!("Unpublished: the {noun} is off the site."),
            )));
            on_changed.run(());
        }
        Some(Err(err)) => notice.set(Some((true, err.to_string()))),
        None => {}
    });
    Effect::new(move |_| match schedule.value().get() {
        Some(Ok(task)) => notice.set(Some((false, task.summary.unwrap_or_default()))),
        Some(Err(err)) => notice.set(Some((true, err.to_string()))),
        None => {}
    });
    let busy = move || saving.get() || publishing.get();
    let when = RwSignal::new(String::new());
    let on_schedule = move |_| {
        let local = when.get();
        // The browser knows the editor's time zone; the server gets an instant.
        let at = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&local)).get_time();
        if local.is_empty() || at.is_nan() {
            notice.set(Some((true, "Choose a date and time first.".into())));
            return;
        }
        schedule.dispatch(SchedulePublish {
            collection,
            id: id.get_value(),
            at: at as i64,
        });
    };
    view! {
        <div class="sticky bottom-0 flex flex-wrap items-center gap-3 bg-slate-50/95 py-3 border-t border-slate-200">
            <Button submit=true kind=ButtonKind::Secondary attr:data-testid="save-draft" attr:disabled=move || !can_edit || busy()>
                {move || if saving.get() { "Saving…" } else { "Save draft" }}
            </Button>
            <Button attr:data-testid="publish" on:click=move |_| on_publish.run(())
                attr:disabled=move || !can_edit || busy() || dirty.get() || status.get() == Status::Published
                attr:title=move || if dirty.get() { "Save the draft first" } else { "" }>
                {move || if publishing.get() { "Publishing…" } else { "Publish" }}
            </Button>
            <Show when=move || can_edit && status.get() != Status::Draft>
                <button type="button" data-testid="unpublish"
                    on:click=move |_| { unpublish.dispatch(Unpublish { collection, id: id.get_value() }); }
                    class="rounded-md border border-slate-300 px-4 py-2 text-sm">"Unpublish"</button>
            </Show>
            // Scheduling is occasional: folded away, so the bar stays one line on phones.
            <Show when=move || can_edit>
                <details class="text-sm" data-testid="schedule">
                    <summary class="cursor-pointer rounded-md px-2 py-2 font-medium text-slate-700 hover:bg-slate-100">"Schedule…"</summary>
                    <div class="mt-2 flex flex-wrap items-center gap-2">
                        <label class="flex items-center gap-2">
                            <span class="text-slate-700">"Publish at"</span>
                            <input type="datetime-local" class="rounded-md border border-slate-300 px-2 py-1"
                                prop:value=move || when.get() on:input=move |ev| when.set(event_target_value(&ev))/>
                        </label>
                        <Button kind=ButtonKind::Secondary on:click=on_schedule attr:disabled=move || schedule.pending().get()>"Schedule"</Button>
                    </div>
                </details>
            </Show>
            <span class="text-sm text-slate-600" data-testid="save-state">{move || {
                if saving.get() { "Saving…" } else if dirty.get() { "Unsaved changes" } else { "All changes saved" }
            }}</span>
            <Toast message=notice testid="editor-message"/>
        </div>
    }
}

/// A save the browser can send on its own: the server function's address and its JSON
/// arguments.
pub(super) type LeaveSave = (&'static str, String);

/// Unsaved edits survive every way out of the editor. Leaving for another screen of the
/// app, reloading, closing the tab or signing out sends the draft with
/// `navigator.sendBeacon`, which the browser delivers even as the page goes away (with the
/// session cookie, so an ended session is refused like any save). A draft that cannot be
/// saved yet (it has problems), or whose last save found the session ended, is not left
/// silently: the browser asks first.
pub(super) fn keep_edits_on_leave(
    dirty: Signal<bool>,
    problems: Memo<Vec<String>>,
    failed: RwSignal<bool>,
    leave_save: impl Fn() -> LeaveSave + Send + Sync + 'static,
) {
    #[cfg(feature = "hydrate")]
    {
        use send_wrapper::SendWrapper;
        use std::sync::Arc;
        use wasm_bindgen::{closure::Closure, JsCast};

        let leave_save = Arc::new(leave_save);
        // Reads through `try_` on purpose: the last call comes from a cleanup.
        let savable = move || {
            dirty.try_get_untracked().unwrap_or(false)
                && problems.try_with_untracked(Vec::is_empty).unwrap_or(false)
                && !failed.try_get_untracked().unwrap_or(false)
        };
        let must_ask = move || dirty.try_get_untracked().unwrap_or(false) && !savable();
        let send = {
            let leave_save = Arc::clone(&leave_save);
            move || {
                let (url, body) = leave_save();
                if url.is_empty() {
                    return;
                }
                let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&body));
                let options = web_sys::BlobPropertyBag::new();
                options.set_type("application/json");
                if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
                {
                    let _ = window()
                        .navigator()
                        .send_beacon_with_opt_blob(url, Some(&blob));
                }
            }
        };
        let send = Arc::new(send);
        // Signing out ends the session, so the draft is saved before the sign-out is sent
        // (a beacon could arrive after it); then nothing is sent again as the page goes.
        let flushed = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let savable = {
            let flushed = Arc::clone(&flushed);
            move || savable() && !flushed.load(std::sync::atomic::Ordering::Relaxed)
        };
        let on_sign_out = {
            let (flushed, leave_save) = (Arc::clone(&flushed), Arc::clone(&leave_save));
            let savable = savable.clone();
            Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
                let form = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
                    .filter(|form| form.action().ends_with("/logout"));
                let Some(form) = form else { return };
                if !savable() {
                    return;
                }
                ev.prevent_default();
                flushed.store(true, std::sync::atomic::Ordering::Relaxed);
                let (url, body) = leave_save();
                leptos::task::spawn_local(async move {
                    post_json(url, body).await;
                    let _ = form.submit();
                });
            })
            .into_js_value()
        };
        let _ = window().add_event_listener_with_callback_and_bool(
            "submit",
            on_sign_out.unchecked_ref(),
            true,
        );
        let on_sign_out = SendWrapper::new(on_sign_out);

        let on_unload = {
            let send = Arc::clone(&send);
            let savable = savable.clone();
            window_event_listener(leptos::ev::beforeunload, move |ev| {
                if savable() {
                    send();
                } else if must_ask() {
                    ev.prevent_default();
                    ev.set_return_value("You have changes that are not saved.");
                }
            })
        };

        // In-app links: an unsavable draft asks before the router moves on.
        let on_link = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
            let on_link = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("a[href]").ok().flatten())
                .is_some();
            if on_link && must_ask() {
                let problems = problems.try_get_untracked().unwrap_or_default();
                let question = if problems.is_empty() {
                    "Your changes could not be saved (your session may have ended). Leave and lose them?".to_string()
                } else {
                    format!(
                        "Your changes are not saved yet: {} Leave and lose them?",
                        problems.join(" ")
                    )
                };
                if !window().confirm_with_message(&question).unwrap_or(false) {
                    ev.prevent_default();
                    ev.stop_immediate_propagation();
                }
            }
        })
        .into_js_value();
        let _ = window().add_event_listener_with_callback_and_bool(
            "click",
            on_link.unchecked_ref(),
            true,
        );
        let on_link = SendWrapper::new(on_link);

        on_cleanup(move || {
            on_unload.remove();
            let _ = window().remove_event_listener_with_callback_and_bool(
                "submit",
                on_sign_out.unchecked_ref(),
                true,
            );
            let _ = window().remove_event_listener_with_callback_and_bool(
                "click",
                on_link.unchecked_ref(),
                true,
            );
            // Gone to another screen of the app: the editor's signals still answer here
            // (cleanups run before the owner's values are dropped).
            if savable() {
                send();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (dirty, problems, failed, leave_save);
}

/// POSTs JSON and waits for the answer (kept alive if the page goes meanwhile).
#[cfg(feature = "hydrate")]
async fn post_json(url: &str, body: String) {
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&wasm_bindgen::JsValue::from_str(&body));
    // Not in web-sys's bindings yet; the browser reads it off the object.
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &true.into());
    if let Ok(headers) = web_sys::Headers::new() {
        let _ = headers.set("content-type", "application/json");
        init.set_headers(&headers);
    }
    let request = window().fetch_with_str_and_init(url, &init);
    let _ = wasm_bindgen_futures::JsFuture::from(request).await;
}
