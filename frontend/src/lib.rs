//! The WASM entry point: hydrates the server-rendered dashboard and CMS.

// The whole app's view types are laid out here; the release build needs the depth.
#![recursion_limit = "256"]

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::tenancy::address::bind_calls_to_page();
    // The chunk of the screen the page opened on first, then hydration (see `app::screens`).
    wasm_bindgen_futures::spawn_local(async {
        app::screens::preload_screen_of_page().await;
        leptos::mount::hydrate_body(app::App);
    });
}
