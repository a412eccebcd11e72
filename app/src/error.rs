//! The one error type of server functions: a sentence a person can act on, plus the
//! HTTP status the server answers with. Causes are logged on the server, never sent.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[cfg(test)]
mod tests {
    use super::AppError;

    #[test]
    fn errors_travel_with_their_message_and_come_back_whole() {
        for err in [
            AppError::NotSignedIn,
            AppError::NotFound("The page".into()),
            AppError::Invalid("Bad.".into()),
            AppError::TooLarge("The file is larger than 10 MB.".into()),
            AppError::RateLimited { retry_after_s: 3 },
            AppError::NoApiKey,
            AppError::TwoFactorRequired,
        ] {
            let json = serde_json::to_value(&err).unwrap();
            assert_eq!(json["message"], err.to_string());
            assert_eq!(serde_json::from_value::<AppError>(json).unwrap(), err);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(into = "ErrorBody", from = "ErrorBody")]
pub enum AppError {
    #[error("Please sign in to continue.")]
    NotSignedIn,
    #[error("Wrong email or password.")]
    WrongCredentials,
    #[error("Your role does not allow this.")]
    Forbidden,
    /// The business requires two-factor sign-in and this member has not set it up.
    #[error("This business asks every member to sign in with two-factor. Set it up on your account page (/account/two-factor) to continue.")]
    TwoFactorRequired,
    #[error("{0} was not found.")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    /// The request itself could not be read (bad encoding, missing field).
    #[error("{0}")]
    Malformed(String),
    #[error("{0}")]
    Conflict(String),
    /// A body or upload larger than accepted; the message says the limit.
    #[error("{0}")]
    TooLarge(String),
    /// A file of a kind not accepted; the message says which are.
    #[error("{0}")]
    Unsupported(String),
    #[error("Too many requests; try again in {retry_after_s} s.")]
    RateLimited { retry_after_s: u64 },
    /// The agent API was called without a working key.
    #[error("Send a working API key as `Authorization: Bearer <key>`; owners and admins create keys in Settings.")]
    NoApiKey,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// Could not reach the server (the browser side of a failed call).
    #[error("Could not reach the server: {0}")]
    Network(String),
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotSignedIn | AppError::WrongCredentials | AppError::NoApiKey => 401,
            AppError::Forbidden | AppError::TwoFactorRequired => 403,
            AppError::NotFound(_) => 404,
            AppError::Invalid(_) => 422,
            AppError::Malformed(_) => 400,
            AppError::Conflict(_) => 409,
            AppError::TooLarge(_) => 413,
            AppError::Unsupported(_) => 415,
            AppError::RateLimited { .. } => 429,
            AppError::Internal => 500,
            AppError::Network(_) => 502,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        AppError::Invalid(message.into())
    }
}

/// How an error travels: a machine-readable kind and the sentence for people, so a
/// script reading `{"error": ..., "message": ...}` needs no Rust.
#[derive(Serialize, Deserialize)]
struct ErrorBody {
    error: String,
    message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
}

impl From<AppError> for ErrorBody {
    fn from(err: AppError) -> Self {
        let message = err.to_string();
        let (error, detail) = match err {
            AppError::NotSignedIn => ("not_signed_in", None),
            AppError::WrongCredentials => ("wrong_credentials", None),
            AppError::Forbidden => ("forbidden", None),
            AppError::TwoFactorRequired => ("two_factor_required", None),
            AppError::NotFound(what) => ("not_found", Some(what)),
            AppError::Invalid(what) => ("invalid", Some(what)),
            AppError::Malformed(what) => ("malformed", Some(what)),
            AppError::Conflict(what) => ("conflict", Some(what)),
            AppError::TooLarge(what) => ("too_large", Some(what)),
            AppError::Unsupported(what) => ("unsupported", Some(what)),
            AppError::RateLimited { retry_after_s } => {
                ("rate_limited", Some(retry_after_s.to_string()))
            }
            AppError::NoApiKey => ("unauthorized", None),
            AppError::Internal => ("internal", None),
            AppError::Network(what) => ("network", Some(what)),
        };
        ErrorBody {
            error: error.to_string(),
            message,
            detail,
        }
    }
}

impl From<ErrorBody> for AppError {
    fn from(body: ErrorBody) -> Self {
        let detail = body.detail.unwrap_or(body.message);
        match body.error.as_str() {
            "not_signed_in" => AppError::NotSignedIn,
            "wrong_credentials" => AppError::WrongCredentials,
            "forbidden" => AppError::Forbidden,
            "two_factor_required" => AppError::TwoFactorRequired,
            "not_found" => AppError::NotFound(detail),
            "invalid" => AppError::Invalid(detail),
            "malformed" => AppError::Malformed(detail),
            "conflict" => AppError::Conflict(detail),
            "too_large" => AppError::TooLarge(detail),
            "unsupported" => AppError::Unsupported(detail),
            "rate_limited" => AppError::RateLimited {
                retry_after_s: detail.parse().unwrap_or(60),
            },
            "unauthorized" => AppError::NoApiKey,
            "network" => AppError::Network(detail),
            _ => AppError::Internal,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => {
                AppError::Malformed(format!("The request was malformed: {msg}"))
            }
            ServerFnErrorErr::MissingArg(arg) => {
                AppError::Malformed(format!("The request is missing the field `{arg}`."))
            }
            ServerFnErrorErr::Request(msg) => AppError::Network(msg),
            _ => AppError::Internal,
        }
    }
}
