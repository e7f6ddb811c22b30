//! Ids of records, one type each, so that an account id can never be passed
//! where a proposal id is expected (both were bare `u64`s).
//!
//! Each is stored exactly as the `u64` it wraps (serde `transparent`): records
//! written before these types decode unchanged. Tables keep `u64` keys: redb
//! names a key's type in the file, and a table opened with another type name
//! is refused, so a table takes an id through `Borrow<u64>` (or
//! [`get`](AccountId::get) inside a tuple key) and ids read back from a key
//! are wrapped again.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl $name {
            /// The number, for a table key or a URL.
            pub const fn get(self) -> u64 {
                self.0
            }
        }

        /// A table keyed by the bare number takes the id as it is.
        impl std::borrow::Borrow<u64> for $name {
            fn borrow(&self) -> &u64 {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

id_type!(
    /// A person's account.
    AccountId
);
id_type!(
    /// An idea box.
    BoxId
);
id_type!(
    /// A proposal in an idea box.
    ProposalId
);
id_type!(
    /// A comment (or a reply) in a discussion.
    CommentId
);
id_type!(
    /// A flag: a report of content to the moderators (moderation's "signaler").
    FlagId
);
id_type!(
    /// A problem report (a « signalement »: a broken street light, a pothole).
    ReportId
);
id_type!(
    /// A message in the outbox.
    MailId
);
id_type!(
    /// A news post of the town hall.
    NewsId
);
id_type!(
    /// A meeting or workshop (« rendez-vous »).
    MeetingId
);
id_type!(
    /// A newsletter (« lettre d'information ») of the town hall.
    NewsletterId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_stored_and_shown_as_its_number() {
        assert_eq!(postcard::to_allocvec(&AccountId(300)).unwrap(), postcard::to_allocvec(&300u64).unwrap());
        assert_eq!(postcard::from_bytes::<ProposalId>(&postcard::to_allocvec(&7u64).unwrap()).unwrap(), ProposalId(7));
        assert_eq!(serde_json::to_string(&CommentId(12)).unwrap(), "12");
        assert_eq!(AccountId(42).to_string(), "42");
        assert_eq!("42".parse::<BoxId>().unwrap(), BoxId(42));
        assert!("x".parse::<BoxId>().is_err());
    }
}
