//! A client of OpenAI-compatible chat-completions APIs (OpenAI, Ollama, vLLM,
//! llama.cpp's server...): one system and one user message in, the reply and its token
//! counts out.

use std::time::Duration;

use crate::server::LanguageModel;

pub struct Reply {
    pub text: String,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
}

pub async fn chat(model: &LanguageModel, system: &str, user: &str) -> Result<Reply, String> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(180))
        .build()
        .map_err(|e| format!("could not make an HTTP client: {e}"))?;
    let mut request =
        client
            .post(format!("{}/chat/completions", model.url))
            .json(&serde_json::json!({
                "model": model.model,
                "messages": [
                    { "role": "system", "content": system },
                    { "role": "user", "content": user },
                ],
                "temperature": 0.7,
            }));
    if let Some(key) = &model.api_key {
        request = request.bearer_auth(key);
    }
    let response = request.send().await.map_err(|e| {
        format!(
            "the language model at {} could not be reached: {e}",
            model.url
        )
    })?;
    let status = response.status();
    let body = response
        .text()
        .await
        .map_err(|e| format!("the language model's answer could not be read: {e}"))?;
    if !status.is_success() {
        let start: String = body.chars().take(300).collect();
        return Err(format!("the language model answered {status}: {start}"));
    }
    let answer: serde_json::Value = serde_json::from_str(&body)
        .map_err(|e| format!("the language model's answer is not JSON: {e}"))?;
    let text = answer["choices"][0]["message"]["content"]
        .as_str()
        .ok_or("the language model's answer has no message")?
        .to_string();
    Ok(Reply {
        text,
        prompt_tokens: answer["usage"]["prompt_tokens"].as_i64().unwrap_or(0),
        completion_tokens: answer["usage"]["completion_tokens"].as_i64().unwrap_or(0),
    })
}
