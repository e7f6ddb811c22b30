//! The language switch: a POST form in the header, remembered in a cookie.

use std::sync::Arc;

use poem::http::header::{self, HeaderValue};
use poem::web::{Data, Form, Redirect};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use super::account::local_path;
use super::chrome::{Flash, LANG_COOKIE};
use super::errors::AppError;
use super::Lang;
use crate::app::AppState;

#[derive(Deserialize)]
pub struct SwitchForm {
    lang: String,
    #[serde(default)]
    next: String,
}

/// `POST /langue`.
#[poem::handler]
pub async fn switch(state: Data<&Arc<AppState>>, Form(form): Form<SwitchForm>) -> Result<Response, AppError> {
    let lang = Lang::from_code(&form.lang).ok_or(AppError::BadRequest("unknown language"))?;
    let secure = if state.is_https() { "; Secure" } else { "" };
    let cookie = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}", lang.code());
    let mut resp = Redirect::see_other(local_path(&form.next)).into_response();
    let flash = Flash::success("flash-language-changed").to_cookie(state.is_https());
    for value in [cookie, flash] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/accessibilite"), "/accessibilite");
        assert_eq!(local_path("//evil.example"), "/");
        assert_eq!(local_path("https://evil.example"), "/");
        assert_eq!(local_path("/\\evil.example"), "/");
        assert_eq!(local_path("/\t/evil.example"), "/", "browsers drop the tab");
        assert_eq!(local_path("/\r\n/evil.example"), "/");
        assert_eq!(local_path("/ /evil.example"), "/");
        assert_eq!(local_path("/propositions?page=2&tri=r%C3%A9cent"), "/propositions?page=2&tri=r%C3%A9cent");
    }
}
