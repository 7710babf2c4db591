//! Accounts and what each role may do. Pure policy and secrets (no I/O): the store keeps the
//! accounts, the web layer asks [`Access`] before every read of internal data and every write.
//!
//! - Passwords are hashed with argon2id (a PHC string with its own salt and parameters).
//! - Session and API tokens are 256 random bits shown once; only their SHA-256 is stored, so a
//!   stolen database yields no usable token.
//! - The public (no account) sees public data only: current records of the public layers and
//!   names that have been approved or published; never internal work (campaigns, proposals
//!   not yet approved) and never who changed what.

use crate::model::{Body, Layer, Office, Visibility};
use crate::names::naming::NameStatus;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

/// The roles of the bureau's officers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: everything, including accounts.
    Admin,
    /// 地名管理员: names, streets, places, door plates and renumbering campaigns.
    NamesOfficer,
    /// 区划界线管理员: administrative units and their boundaries.
    BoundaryOfficer,
    /// 殡葬管理员: cemeteries, plots and burials.
    BurialOfficer,
    /// 出版编辑: gazetteer, maps and documents; reads everything, writes no record.
    Editor,
    /// 查看人员: reads internal data, writes nothing.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::NamesOfficer,
        Role::BoundaryOfficer,
        Role::BurialOfficer,
        Role::Editor,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::NamesOfficer => "names_officer",
            Role::BoundaryOfficer => "boundary_officer",
            Role::BurialOfficer => "burial_officer",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        }
    }

    /// The role's name in the user interface.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::NamesOfficer => "地名管理员",
            Role::BoundaryOfficer => "区划界线管理员",
            Role::BurialOfficer => "殡葬管理员",
            Role::Editor => "出版编辑",
            Role::Viewer => "查看人员",
        }
    }

    /// Whether the role publishes (builds gazetteer editions): editors and the administrator.
    pub fn publishes(self) -> bool {
        matches!(self, Role::Editor | Role::Admin)
    }

    /// Whether the role may change nothing at all (no layer to write, nothing to publish):
    /// its state-changing calls are refused before their body is read.
    pub fn changes_nothing(self) -> bool {
        !Layer::ALL.into_iter().any(|l| self.writes(l)) && !self.publishes()
    }

    /// The office whose layers this role writes (none for the administrator, who writes
    /// every layer, and for editors and viewers, who write none).
    fn office(self) -> Option<Office> {
        match self {
            Role::NamesOfficer => Some(Office::Names),
            Role::BoundaryOfficer => Some(Office::Boundaries),
            Role::BurialOfficer => Some(Office::Burials),
            Role::Admin | Role::Editor | Role::Viewer => None,
        }
    }

    /// Whether this role may write `layer`: its office's layers (every one for the
    /// administrator), as the catalogue declares them.
    pub fn writes(self, layer: Layer) -> bool {
        self == Role::Admin || self.office() == Some(layer.spec().office)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s || r.label() == s)
            .ok_or_else(|| {
                let names: Vec<String> = Role::ALL
                    .iter()
                    .map(|r| format!("{}（{}）", r.as_str(), r.label()))
                    .collect();
                format!("没有角色“{s}”：应为 {}", names.join("、"))
            })
    }
}

/// Who is asking: an officer with a role, or the public.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    Public,
    Officer { name: String, role: Role },
}

impl Access {
    pub fn name(&self) -> Option<&str> {
        match self {
            Access::Public => None,
            Access::Officer { name, .. } => Some(name),
        }
    }

    pub fn role(&self) -> Option<Role> {
        match self {
            Access::Public => None,
            Access::Officer { role, .. } => Some(*role),
        }
    }

    /// Whether internal data (work in progress, who changed what) is visible.
    pub fn sees_internal(&self) -> bool {
        matches!(self, Access::Officer { .. })
    }

    /// Whether the layer is visible at all. Layers of personal data (burials, graves,
    /// notices, subsidy claims) are the burial office's: its officers and the administrator.
    pub fn can_read_layer(&self, layer: Layer) -> bool {
        if is_personal_layer(layer) {
            return matches!(self.role(), Some(Role::BurialOfficer | Role::Admin));
        }
        self.sees_internal() || is_public_layer(layer)
    }

    /// Whether one record is visible.
    pub fn can_read(&self, body: &Body) -> bool {
        if is_personal_layer(body.layer()) {
            return self.can_read_layer(body.layer());
        }
        self.sees_internal() || is_public(body)
    }

    /// Whether whole ID-card and telephone numbers may be shown: the burial office's own
    /// screens only (not even the administrator's).
    pub fn sees_whole_personal_data(&self) -> bool {
        self.role() == Some(Role::BurialOfficer)
    }

    /// Whether the layer may be written.
    pub fn can_write(&self, layer: Layer) -> bool {
        self.role().is_some_and(|r| r.writes(layer))
    }

    /// Whether the caller may publish (build a gazetteer edition): editors and the
    /// administrator.
    pub fn can_publish(&self) -> bool {
        self.role().is_some_and(Role::publishes)
    }

    pub fn is_admin(&self) -> bool {
        self.role() == Some(Role::Admin)
    }
}

/// Layers the public may see: not campaigns in progress, not the sign office's inspections
/// and work orders (costs, contractors), not plots (who holds them), not personal data.
pub fn is_public_layer(layer: Layer) -> bool {
    layer.spec().visibility == Visibility::Public
}

/// Layers that hold personal data (PIPL): the burial office's alone.
pub fn is_personal_layer(layer: Layer) -> bool {
    layer.spec().visibility == Visibility::Personal
}

/// A record the public may see: in a public layer and, for names, approved or published (a
/// proposal, a name under review or a rejected one is internal work).
pub fn is_public(body: &Body) -> bool {
    is_public_layer(body.layer())
        && body
            .naming()
            .is_none_or(|n| matches!(n.status, NameStatus::Approved | NameStatus::Published))
}

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Why a password is not accepted.
pub fn check_password_strength(password: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!(
            "密码太短：至少 {MIN_PASSWORD_CHARS} 个字符（现为 {chars} 个）"
        ));
    }
    if password
        .chars()
        .all(|c| c == password.chars().next().unwrap_or(' '))
    {
        return Err("密码不能由同一个字符重复组成".into());
    }
    Ok(())
}

/// An argon2id PHC string for `password`.
pub fn hash_password(password: &str) -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    let salt = SaltString::encode_b64(&bytes).expect("16 bytes make a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters hashes any password")
        .to_string()
}

/// Whether `password` matches the stored PHC string (false for a malformed one).
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash that takes as long to check as a real one, for unknown users (no timing oracle).
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no such user, no such password"))
}

/// A new random secret (64 hex digits) and the hash under which it is stored.
pub fn new_secret() -> (String, String) {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = secret_hash(&secret);
    (secret, hash)
}

/// The stored form of a session or API token.
pub fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether two secrets are equal, in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("边境口岸二连浩特2026");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("边境口岸二连浩特2026", &h));
        assert!(!verify_password("边境口岸二连浩特2025", &h));
        assert!(!verify_password("x", "not a hash"));
        // Salted: the same password hashes differently.
        assert_ne!(h, hash_password("边境口岸二连浩特2026"));
    }

    #[test]
    fn weak_passwords_are_refused_with_the_reason() {
        assert!(
            check_password_strength("short")
                .unwrap_err()
                .contains("至少 10")
        );
        assert!(check_password_strength("aaaaaaaaaaaa").is_err());
        assert!(check_password_strength("Erenhot-2026!").is_ok());
    }

    #[test]
    fn secrets_are_random_and_stored_hashed() {
        let (a, ha) = new_secret();
        let (b, _) = new_secret();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(secret_hash(&a), ha);
        assert_ne!(a, ha);
        assert!(same_secret(&a, &a.clone()));
        assert!(!same_secret(&a, &b));
    }

    #[test]
    fn roles_write_their_own_layers_only() {
        let officer = |role| Access::Officer {
            name: "x".into(),
            role,
        };
        assert!(officer(Role::Admin).can_write(Layer::AdminUnit));
        assert!(officer(Role::NamesOfficer).can_write(Layer::Street));
        assert!(!officer(Role::NamesOfficer).can_write(Layer::AdminUnit));
        assert!(officer(Role::BoundaryOfficer).can_write(Layer::AdminUnit));
        assert!(!officer(Role::BoundaryOfficer).can_write(Layer::DoorPlate));
        for role in [Role::Editor, Role::Viewer] {
            assert!(Layer::ALL.iter().all(|l| !officer(role).can_write(*l)));
        }
        assert!(officer(Role::BurialOfficer).can_write(Layer::Burial));
        assert!(!officer(Role::BurialOfficer).can_write(Layer::AdminUnit));
        // Personal data is the burial office's alone.
        assert!(!officer(Role::NamesOfficer).can_read_layer(Layer::Burial));
        let (graves, plots) = (Layer::from_table("graves"), Layer::from_table("plots"));
        assert!(!Access::Public.can_read_layer(graves.unwrap()));
        assert!(officer(Role::Admin).can_read_layer(Layer::Burial));
        assert!(!Access::Public.can_read_layer(plots.unwrap()));
        assert!(Access::Public.can_read_layer(Layer::Cemetery));
        assert!(officer(Role::BurialOfficer).sees_whole_personal_data());
        assert!(!officer(Role::Admin).sees_whole_personal_data());
        assert!(Layer::ALL.iter().all(|l| !Access::Public.can_write(*l)));
        assert!(!Access::Public.can_read_layer(Layer::Campaign));
        assert!(officer(Role::Viewer).can_read_layer(Layer::Campaign));
    }

    #[test]
    fn roles_parse_from_id_or_label() {
        assert_eq!("names_officer".parse::<Role>().unwrap(), Role::NamesOfficer);
        assert_eq!("殡葬管理员".parse::<Role>().unwrap(), Role::BurialOfficer);
        assert!("root".parse::<Role>().unwrap_err().contains("admin"));
    }
}
