//! The codes themselves: authenticator secrets and their six-digit codes (totp-rs), the
//! QR code an app scans (qrcode), and recovery codes.

use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::OsRng;
use totp_rs::{Builder, Totp};

/// Who the code is for, as authenticator apps list it.
const ISSUER: &str = "BizOSaaS";
/// A code is accepted one step (30 s) before and after its own, for clocks that drift.
const SKEW: u16 = 1;

/// A fresh 160-bit secret (RFC 4226's recommended length).
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; 20];
    OsRng.fill_bytes(&mut secret);
    secret
}

fn authenticator(secret: &[u8], account: &str) -> Option<Totp> {
    Builder::new()
        .with_secret(secret.to_vec())
        .with_skew(SKEW)
        .with_issuer(Some(ISSUER))
        // The otpauth format separates issuer and account with ':'.
        .with_account_name(account.replace(':', ""))
        .build()
        .ok()
}

/// The secret in base32 as people type it: groups of four.
pub fn typed_key(secret: &[u8]) -> String {
    let key = totp_rs::Secret::from(secret.to_vec()).to_base32();
    key.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The QR code of the `otpauth://` address authenticator apps scan, as SVG.
pub fn qr_svg(secret: &[u8], account: &str) -> Option<String> {
    let address = authenticator(secret, account)?.to_url().ok()?;
    let code = qrcode::QrCode::new(address.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

/// The 30-second step a six-digit `code` belongs to at `now_s` (Unix seconds), if it is
/// right. Spaces in the code are ignored; callers refuse a step already used.
pub fn step_of(secret: &[u8], code: &str, now_s: u64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    authenticator(secret, "")?.check(&code, now_s)
}

/// Whether `code` looks like an app's code (six digits) rather than a recovery code.
pub fn is_app_code(code: &str) -> bool {
    let digits: Vec<char> = code.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() == 6 && digits.iter().all(char::is_ascii_digit)
}

/// Recovery codes: ten characters from an alphabet without look-alikes (no 0/o, 1/l/i),
/// shown as `xxxxx-xxxxx`; about 50 bits each.
pub fn new_recovery_codes(count: usize) -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..count)
        .map(|_| {
            let mut bytes = [0u8; 10];
            OsRng.fill_bytes(&mut bytes);
            let letters: String = bytes
                .iter()
                .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
                .collect();
            format!("{}-{}", &letters[..5], &letters[5..])
        })
        .collect()
}

/// A recovery code as typed (any case, with or without the dash or spaces), as stored:
/// its SHA-256.
pub fn recovery_code_hash(code: &str) -> String {
    let plain: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    crate::server::sha256_hex(&plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_from_the_app_matches_its_step_and_nearby_clocks() {
        let secret = new_secret();
        let app = authenticator(&secret, "owner@acme.test").unwrap();
        let now = 1_800_000_015;
        let code = app.generate(now).to_string();
        assert_eq!(step_of(&secret, &code, now), Some(now / 30));
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(step_of(&secret, &spaced, now), Some(now / 30));
        // A phone 30 s behind or ahead still works; two minutes does not.
        assert_eq!(step_of(&secret, &code, now + 30), Some(now / 30));
        assert_eq!(step_of(&secret, &code, now + 120), None);
        assert_eq!(step_of(&new_secret(), &code, now), None);
        assert_eq!(step_of(&secret, "12345", now), None);
        assert_eq!(step_of(&secret, "abcdef", now), None);
    }

    #[test]
    fn the_qr_code_and_the_typed_key_carry_the_secret() {
        let secret = new_secret();
        let svg = qr_svg(&secret, "a:b@acme.test").unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
        let key = typed_key(&secret);
        assert_eq!(key.replace(' ', "").len(), 32);
        assert!(key.split(' ').all(|group| group.len() == 4));
    }

    #[test]
    fn recovery_codes_are_distinct_and_read_however_they_are_typed() {
        let codes = new_recovery_codes(10);
        assert_eq!(codes.len(), 10);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), 10);
        let code = &codes[0];
        assert_eq!(code.len(), 11);
        assert_eq!(
            recovery_code_hash(code),
            recovery_code_hash(&format!(" {} ", code.to_uppercase().replace('-', " ")))
        );
        assert!(!is_app_code(code));
        assert!(is_app_code("123 456"));
    }
}
