//! The one error type of server functions: a sentence a person can act on, plus the
//! HTTP status the server answers with. Causes are logged on the server, never sent.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    NotSignedIn,
    #[error("Wrong email or password.")]
    WrongCredentials,
    #[error("Your role does not allow this.")]
    Forbidden,
    #[error("{0} was not found.")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    /// The request itself could not be read (bad encoding, missing field).
    #[error("{0}")]
    Malformed(String),
    #[error("{0}")]
    Conflict(String),
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// Could not reach the server (the browser side of a failed call).
    #[error("Could not reach the server: {0}")]
    Network(String),
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotSignedIn | AppError::WrongCredentials => 401,
            AppError::Forbidden => 403,
            AppError::NotFound(_) => 404,
            AppError::Invalid(_) => 422,
            AppError::Malformed(_) => 400,
            AppError::Conflict(_) => 409,
            AppError::Internal => 500,
            AppError::Network(_) => 502,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        AppError::Invalid(message.into())
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg) => {
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
