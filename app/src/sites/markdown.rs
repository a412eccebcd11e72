//! Markdown from editors becomes HTML, then ammonia removes anything unsafe (scripts,
//! event handlers, javascript: links) before it reaches a visitor.

/// The cleaner, made once: `ammonia::clean` builds its tables of allowed tags and
/// attributes again on every call, which a page render of several text blocks felt.
static CLEANER: std::sync::LazyLock<ammonia::Builder<'static>> =
    std::sync::LazyLock::new(ammonia::Builder::default);

pub fn to_safe_html(markdown: &str) -> String {
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    let parser = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES);
    pulldown_cmark::html::push_html(&mut html, parser);
    CLEANER.clean(&html).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn markdown_is_rendered_and_sanitized() {
        let html =
            super::to_safe_html("**bold** <script>alert(1)</script> [x](javascript:alert(1))");
        assert!(html.contains("<strong>bold</strong>"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("javascript:"));
    }
}
