//! `parvis openapi`: the public API's OpenAPI 3.1 document on standard
//! output, the same the server answers at `/api/openapi.json`, so that CI
//! validates it without starting a server.

use std::process::ExitCode;

use super::{CliError, OpenapiArgs};

pub(super) fn run(args: OpenapiArgs) -> Result<ExitCode, CliError> {
    let doc = crate::web::api::openapi::document(&args.commune, args.url.trim_end_matches('/'));
    match serde_json::to_string_pretty(&doc) {
        Ok(text) => {
            println!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Err(CliError::Refused(format!("cannot write the document: {e}"))),
    }
}
