//! Text from the account (names, tags, descriptions, messages) and from the team's
//! files is untrusted: one module per output kind turns it into inert text of that
//! kind, and every renderer (`check`, `diff`, `gdpr`) goes through it.

pub mod html;
pub mod markdown;
pub mod xml;
