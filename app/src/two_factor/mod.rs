//! Two-factor sign-in with an authenticator app (TOTP, RFC 6238): enrolment by QR code,
//! single-use recovery codes, the code asked for after the password, and businesses
//! whose owners require it of every member.

pub mod api;
#[cfg(feature = "ssr")]
pub mod authenticator;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// Recovery codes made at a time.
pub const RECOVERY_CODES: usize = 10;

/// Where a person stands with two-factor sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorStatus {
    /// When it was turned on; None while it is off (an unconfirmed enrolment is off).
    pub on_since: Option<i64>,
    pub recovery_codes_left: i64,
    /// The businesses of this person whose owners require it, by name.
    pub required_by: Vec<String>,
}

/// What the person scans (or types) into their authenticator app to enrol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// The secret in base32, in groups of four for typing.
    pub key: String,
    /// The `otpauth://` address as a QR code, an SVG document.
    pub qr_svg: String,
}
