//! Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input; `track` gives 3 when
//! nothing is new.

use std::process::ExitCode;

pub const SUCCESS: ExitCode = ExitCode::SUCCESS;
pub const FAILURE: u8 = 1;
pub const BAD_INPUT: u8 = 2;
/// `track` found nothing new (not an error: cron jobs tell it from 0).
pub const NOTHING_NEW: u8 = 3;

/// Bad input the user can mend gives 2; anything else 1.
pub fn code_for(err: &anyhow::Error) -> ExitCode {
    match err.downcast_ref::<topictrack::Error>() {
        Some(known) if known.is_user_error() => ExitCode::from(BAD_INPUT),
        _ => ExitCode::from(FAILURE),
    }
}

/// `topictrack search … | head` closes our stdout early; that is not an error.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
