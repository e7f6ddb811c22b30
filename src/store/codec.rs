//! The one codec for stored values: a format-version byte, then postcard.
//!
//! A record type declares its current format version. Reading a value written
//! in another version is an error, never a silent default: a change of shape
//! is a migration (see `store::schema`).

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::StoreError;

/// A value kept in a redb table.
pub trait Record: Serialize + DeserializeOwned {
    /// What this record is called in error messages.
    const NAME: &'static str;
    /// The format version written as the first byte.
    const VERSION: u8;
}

pub fn encode<T: Record>(value: &T) -> Result<Vec<u8>, StoreError> {
    let mut out = vec![T::VERSION];
    let body = postcard::to_stdvec(value).map_err(|e| StoreError::Codec { record: T::NAME, detail: e.to_string() })?;
    out.extend_from_slice(&body);
    Ok(out)
}

pub fn decode<T: Record>(bytes: &[u8]) -> Result<T, StoreError> {
    match bytes.split_first() {
        Some((&version, body)) if version == T::VERSION => {
            postcard::from_bytes(body).map_err(|e| StoreError::Codec { record: T::NAME, detail: e.to_string() })
        }
        Some((&version, _)) => Err(StoreError::FormatVersion { record: T::NAME, found: version, expected: T::VERSION }),
        None => Err(StoreError::Codec { record: T::NAME, detail: "empty value".into() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Thing {
        name: String,
        n: u32,
    }
    impl Record for Thing {
        const NAME: &'static str = "thing";
        const VERSION: u8 = 3;
    }

    #[test]
    fn round_trip_keeps_the_value_and_leads_with_the_version() {
        let t = Thing { name: "Fontaine".into(), n: 7 };
        let bytes = encode(&t).unwrap();
        assert_eq!(bytes[0], 3);
        assert_eq!(decode::<Thing>(&bytes).unwrap(), t);
    }

    #[test]
    fn another_version_is_refused() {
        let mut bytes = encode(&Thing { name: "x".into(), n: 1 }).unwrap();
        bytes[0] = 2;
        match decode::<Thing>(&bytes) {
            Err(StoreError::FormatVersion { found: 2, expected: 3, .. }) => {}
            other => panic!("unexpected {other:?}"),
        }
        assert!(decode::<Thing>(&[]).is_err());
    }
}
