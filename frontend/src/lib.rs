//! The WASM entry point: hydrates the server-rendered dashboard and CMS.

// The whole app's view types are laid out here; the release build needs the depth.
#![recursion_limit = "256"]

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::tenancy::address::bind_calls_to_page();
    // Waits for the chunk of the screen the page opened on (see `app::screens`).
    leptos::mount::hydrate_lazy(app::App);
}
