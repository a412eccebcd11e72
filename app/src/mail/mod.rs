//! The one mailer: every transactional email (verification now; the digest's delivery)
//! is kept in the tenant's outbox and sent by a job over SMTP when a mail server is
//! configured; without one it stays in the outbox.

#[cfg(feature = "ssr")]
pub mod send;

use serde::{Deserialize, Serialize};

/// The job that sends one outbox message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendEmail {
    pub tenant_id: String,
    pub outbox_id: String,
}

/// An email with its plain-text and HTML parts.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[cfg(feature = "ssr")]
impl Email {
    /// A short message with one link: the text names it, the HTML makes it a button.
    pub fn with_link(to: &str, subject: &str, lines: &[&str], label: &str, link: &str) -> Email {
        let text = format!("{}\n\n{label}: {link}\n", lines.join("\n\n"));
        use crate::sites::render::escape;
        let paragraphs: String = lines
            .iter()
            .map(|line| format!("<p>{}</p>", escape(line)))
            .collect();
        let html = format!(
            "<!DOCTYPE html><html><body style=\"font-family: sans-serif; color: #0f172a\">\
             {paragraphs}<p><a href=\"{href}\" style=\"display: inline-block; padding: 10px 16px; \
             background: #4f46e5; color: #fff; border-radius: 6px; text-decoration: none\">{label}</a></p>\
             <p style=\"color: #64748b; font-size: 13px\">Or open this address: {href}</p></body></html>",
            href = escape(link),
            label = escape(label),
        );
        Email {
            to: to.to_string(),
            subject: subject.to_string(),
            text,
            html,
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::Email;

    #[test]
    fn a_link_email_has_both_parts_and_escapes_what_it_is_given() {
        let email = Email::with_link(
            "a@b.test",
            "Verify",
            &["Hello <Joe> & co."],
            "Verify my email",
            "http://x.test/verify?token=1&a=2",
        );
        assert!(email
            .text
            .contains("Verify my email: http://x.test/verify?token=1&a=2"));
        assert!(email.html.contains("Hello &lt;Joe&gt; &amp; co."));
        assert!(email
            .html
            .contains("href=\"http://x.test/verify?token=1&amp;a=2\""));
    }
}
