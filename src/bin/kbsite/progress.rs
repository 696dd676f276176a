//! A progress bar for long builds on a terminal; nothing on CI or when output is piped, so logs
//! stay line-oriented.

use std::io::IsTerminal;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use kbsite::pipeline::Progress;

/// Builds smaller than this finish before a bar would help.
const MIN_STEPS: usize = 2000;

/// A bar shown only when standard error is a terminal and `CI` is not set.
pub(crate) struct Bar {
    enabled: bool,
    bar: Mutex<Option<ProgressBar>>,
}

impl Bar {
    /// A bar that shows itself only where it makes sense and `wanted` allows.
    pub(crate) fn new(wanted: bool) -> Bar {
        let enabled = wanted && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        Bar {
            enabled,
            bar: Mutex::new(None),
        }
    }
}

impl Progress for Bar {
    fn waiting_for(&self, output: &std::path::Path) {
        // Said even when quiet: otherwise a waiting build looks like a hung one.
        eprintln!(
            "Waiting for another kbsite that is writing {} to finish…",
            output.display()
        );
    }

    fn start(&self, stage: &'static str, total: usize) {
        if !self.enabled || total < MIN_STEPS {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{msg:>8} [{bar:30}] {pos}/{len} files ({eta})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(stage);
        if let Ok(mut slot) = self.bar.lock() {
            *slot = Some(bar);
        }
    }

    fn advance(&self) {
        if let Ok(slot) = self.bar.lock()
            && let Some(bar) = slot.as_ref()
        {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Ok(mut slot) = self.bar.lock()
            && let Some(bar) = slot.take()
        {
            bar.finish_and_clear();
        }
    }
}
