//! Building the texts from the compiled-in `dialogs/ru/*.ftl` and an optional override folder.

use super::{Texts, TextsError, args::russian_number};
use fluent_bundle::FluentResource;
use fluent_bundle::concurrent::FluentBundle;
use fluent_syntax::ast::Entry;
use std::collections::HashMap;
use std::path::Path;
use unic_langid::LanguageIdentifier;

/// Every built-in texts file. A new file in `dialogs/ru/` must be added here to be compiled in.
const BUILTIN: &[(&str, &str)] = &[
    ("common.ftl", include_str!("../../dialogs/ru/common.ftl")),
    ("client.ftl", include_str!("../../dialogs/ru/client.ftl")),
    ("staff.ftl", include_str!("../../dialogs/ru/staff.ftl")),
    ("commands.ftl", include_str!("../../dialogs/ru/commands.ftl")),
];

/// One texts file: its name (as shown in errors) and its content.
pub(super) struct Source {
    pub name: String,
    pub text: String,
}

impl Texts {
    /// The texts compiled into the binary.
    pub fn builtin() -> Result<Texts, TextsError> {
        Texts::load(None)
    }

    /// The built-in texts, where each `*.ftl` in `override_dir` replaces the built-in file of the
    /// same name; the owner edits a copy of `dialogs/ru/` without rebuilding.
    pub fn load(override_dir: Option<&Path>) -> Result<Texts, TextsError> {
        let mut sources = builtin_sources();
        if let Some(dir) = override_dir {
            apply_overrides(&mut sources, dir)?;
        }
        Texts::from_sources(sources)
    }

    pub(super) fn from_sources(sources: Vec<Source>) -> Result<Texts, TextsError> {
        let ru: LanguageIdentifier = "ru".parse().expect("\"ru\" is a valid language id");
        let mut bundle = FluentBundle::new_concurrent(vec![ru]);
        // Isolation marks are invisible characters that Telegram shows as boxes in some clients.
        bundle.set_use_isolating(false);
        bundle.set_formatter(Some(russian_number));

        let mut origin = HashMap::new();
        for source in sources {
            let resource = parse(&source)?;
            remember_keys(&mut origin, &source.name, &resource)?;
            // Duplicates were refused above, so adding cannot fail.
            let _ = bundle.add_resource(resource);
        }

        Ok(Texts { bundle, origin })
    }
}

fn builtin_sources() -> Vec<Source> {
    let source = |(name, text): &(&str, &str)| Source {
        name: format!("dialogs/ru/{name}"),
        text: text.to_string(),
    };
    BUILTIN.iter().map(source).collect()
}

/// Replaces built-in files by the same-named files of `dir`; an unknown name is an error, since a
/// misspelt file would otherwise be ignored without a word.
fn apply_overrides(sources: &mut [Source], dir: &Path) -> Result<(), TextsError> {
    let read_err = |cause| TextsError::Read { path: dir.to_path_buf(), cause };
    for entry in std::fs::read_dir(dir).map_err(read_err)? {
        let path = entry.map_err(read_err)?.path();
        if path.extension().is_none_or(|ext| ext != "ftl") {
            continue;
        }

        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let slot = BUILTIN.iter().position(|(builtin, _)| *builtin == name);
        let Some(slot) = slot else {
            let known = BUILTIN.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ");
            return Err(TextsError::UnknownFile { path, known });
        };

        let text = std::fs::read_to_string(&path)
            .map_err(|cause| TextsError::Read { path: path.clone(), cause })?;
        sources[slot] = Source { name: path.display().to_string(), text };
    }
    Ok(())
}

fn parse(source: &Source) -> Result<FluentResource, TextsError> {
    FluentResource::try_new(source.text.clone()).map_err(|(_, errors)| {
        let first = &errors[0];
        // The parser points past the damage (often at the next line); the broken entry's start is
        // where the editor has to look.
        let at = first.slice.as_ref().map_or(first.pos.start, |slice| slice.start);
        TextsError::Syntax {
            file: source.name.clone(),
            line: source.text[..at].matches('\n').count() + 1,
            problem: first.kind.to_string(),
        }
    })
}

/// Records which file defines each message, refusing a key defined twice.
fn remember_keys(
    origin: &mut HashMap<String, String>,
    file: &str,
    resource: &FluentResource,
) -> Result<(), TextsError> {
    for entry in resource.entries() {
        let Entry::Message(message) = entry else { continue };
        let key = message.id.name.to_string();
        if let Some(first) = origin.get(&key) {
            return Err(TextsError::Duplicate { file: file.into(), key, first: first.clone() });
        }
        origin.insert(key, file.to_string());
    }
    Ok(())
}
