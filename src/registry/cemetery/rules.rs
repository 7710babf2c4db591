//! The cemetery rules ([`crate::cemetery::rules`]) applied to every changeset, whatever door it
//! came through (CLI, JSON API, OGC API, file import): the registry hands the domain the writes
//! to fill in and the registry as the changeset would leave it.

use crate::cemetery::rules::{check, settle};
use crate::config::Config;
use crate::model::{After, Changeset, CurrentState, Office, Pending};
use crate::registry::RegistryError;

pub(super) fn invalid(message: impl Into<String>) -> RegistryError {
    RegistryError::Invalid(message.into())
}

/// Applies the cemetery rules to a changeset that touches the burial office's layers: fills in
/// what the registry decides and refuses what breaks a rule. Called by [`Registry::commit`].
///
/// [`Registry::commit`]: crate::registry::Registry::commit
pub fn rules(
    state: &CurrentState,
    config: &Config,
    mut changeset: Changeset,
) -> Result<Changeset, RegistryError> {
    let touches = changeset.writes.iter().any(|w| {
        let layer = match w.body() {
            Some(body) => body.layer(),
            None => match state.get(&w.id()) {
                Some(v) => v.layer(),
                None => return false,
            },
        };
        layer.spec().office == Office::Burials
    });
    if !touches {
        return Ok(changeset);
    }
    settle(&mut Pending::new(state, &mut changeset.writes), state)?;
    check(
        &After::new(state, &changeset.writes),
        &config.cemetery.subsidies,
        &config.jurisdiction.county_code,
    )?;
    Ok(changeset)
}
