//! Assembles the parts from the options: business file, texts, store, clock, engine.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;

use crate::cli::RunOptions;
use crate::clock::{Clock, ShiftedClock, SystemClock};
use crate::config::load::load_business;
use crate::dialog::Engine;
use crate::dialog::texts_used::TEXTS_USED;
use crate::domain::phone::Phone;
use crate::store::Store;
use crate::texts::Texts;

/// Loads and checks texts: built-in, with an override folder on top.
pub fn load_texts(dir: Option<&Path>) -> anyhow::Result<Texts> {
    let texts = Texts::load(dir)?;
    texts.check(TEXTS_USED)?;
    Ok(texts)
}

/// Everything the bot needs, validated; fails with a message naming what to fix.
pub fn build_engine(business: &Path, data_dir: &Path, opts: &RunOptions) -> anyhow::Result<Engine> {
    // The store first: sled allocates about 20 MB of zeroed counters on open, which cost no
    // memory only while they sit on pages the allocator takes fresh from the system. Opened
    // after the business file's parse, they landed on its freed pages and were zeroed by hand:
    // an idle bot held 34 MB instead of 23 (BENCHMARKS.md).
    let store = Store::open(data_dir)?;
    let biz = load_business(business)?;
    let texts = load_texts(opts.texts_dir.as_deref())?;
    std::thread::spawn(Phone::warm_up);
    let clock: Arc<dyn Clock> = match opts.now {
        Some(at) => Arc::new(ShiftedClock::starting_at(at)),
        None => Arc::new(SystemClock),
    };
    tracing::info!(services = biz.services.len(), masters = biz.masters.len(), "business loaded");
    Ok(Engine::new(Arc::new(biz), Arc::new(texts), store, clock))
}

/// `okno check`: the business file and the texts, nothing else.
pub fn check(business: &Path, texts_dir: Option<&Path>) -> anyhow::Result<()> {
    let biz = load_business(business)?;
    load_texts(texts_dir).context("checking the texts")?;
    println!(
        "{}: OK ({} services, {} masters)",
        business.display(),
        biz.services.len(),
        biz.masters.len()
    );
    Ok(())
}
